/* 办件进度查询 (R-K7): case number + last 4 phone digits → masked progress. Local only.
   The QR link of a notice is /cases/<number>#t=<查询码>: the fragment never reaches the
   server's logs; the page posts it and shows the case at once, without the digits. */
(function () {
  "use strict";
  const $ = (id) => document.getElementById(id);
  const el = Yz.el;
  const DIGITS = /^[0-9]{4}$/;
  const parts = location.pathname.split("/").filter(Boolean);
  const fromPath = parts.length >= 2 && parts[0] === "cases" ? decodeURIComponent(parts[1]) : "";
  const fragment = new URLSearchParams(location.hash.replace(/^#/, ""));
  const token = fragment.get("t") || new URLSearchParams(location.search).get("t") || "";

  function showError(message) {
    $("error").textContent = message;
    $("error").hidden = false;
  }

  function chineseDate(iso) {
    const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso || "");
    return m ? m[1] + "年" + Number(m[2]) + "月" + Number(m[3]) + "日" : "";
  }

  function dueNode(v) {
    if (!v.due_on) return document.createTextNode(v.accepted_on ? "计时中止" : "受理后计算");
    return el("span", {},
      el("span", { class: "num", text: chineseDate(v.due_on) }),
      v.due_provisional ? el("span", { class: "cq-tag", id: "due-provisional", text: "暂定" }) : null,
      v.overdue ? el("span", { class: "cq-tag late", id: "due-overdue", text: v.due_status_label }) : null);
  }

  function show(v) {
    $("r-number").textContent = v.case_number;
    $("r-item").textContent = v.item_name;
    $("r-state").textContent = v.state_label;
    $("r-state").dataset.state = v.state;
    $("r-applicant").textContent = v.applicant_name;
    $("r-agent-label").hidden = $("r-agent").hidden = !v.agent_name;
    $("r-agent").textContent = v.agent_name || "";
    $("r-received").textContent = chineseDate(v.received_on);
    $("r-accepted").textContent = v.accepted_on ? chineseDate(v.accepted_on) : "尚未受理";
    $("r-due").replaceChildren(dueNode(v));
    $("outcome-title").textContent = v.outcome_title;
    $("outcome-lines").replaceChildren(...v.outcome_lines.map((line) => el("li", { text: line })));
    $("steps").replaceChildren(...v.steps.map((s) => el("li", { class: "cq-step" },
      el("div", { class: "cq-step-at num", text: s.at }),
      el("div", { class: "cq-step-label" }, s.label,
        s.state_label !== s.label ? el("span", { class: "cq-step-state", text: "→ " + s.state_label }) : null),
      s.note ? el("div", { class: "cq-step-note", text: s.note }) : null)));
    const phone = v.station_phone ? "，咨询电话 " + v.station_phone : "";
    $("r-contact").textContent = "如有疑问请到" + v.station_name + "窗口咨询" + phone;
    if (v.station_name) $("station-name").textContent = v.station_name;
    $("result").hidden = false;
    $("result").scrollIntoView({ block: "start" });
  }

  async function submit(event) {
    event.preventDefault();
    $("error").hidden = true;
    const caseNumber = $("case-number").value.trim();
    const last4 = $("last4").value.trim();
    if (!caseNumber) return showError("请输入办件编号");
    if (!DIGITS.test(last4)) return showError("手机号后4位应为4位数字");
    $("submit").disabled = true;
    $("result").hidden = true;
    try {
      show(await Yz.postJson("/api/public/case-query", { case_number: caseNumber, phone_last4: last4 }));
    } catch (err) {
      showError(err.message || "暂时无法查询，请稍后再试");
    } finally {
      $("submit").disabled = false;
    }
  }

  $("query-form").addEventListener("submit", submit);
  $("last4").addEventListener("input", () => {
    const ascii = $("last4").value.replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
    $("last4").value = ascii.replace(/[^0-9]/g, "").slice(0, 4);
  });
  Yz.getJson("/api/health").then((h) => {
    if (h && h.station_name) $("station-name").textContent = h.station_name;
  }).catch(() => {});
  async function openWithToken() {
    try {
      show(await Yz.postJson("/api/public/case-query", { case_number: fromPath, token: token }));
    } catch (err) {
      showError((err.message || "暂时无法查询") + "；也可输入手机号后4位查询");
      $("last4").focus();
    }
  }

  if (fromPath) {
    $("case-number").value = fromPath;
    if (token) {
      history.replaceState(null, "", location.pathname);  // the token leaves the address bar
      openWithToken();
    } else {
      $("last4").focus();
    }
  } else {
    $("case-number").focus();
  }
})();
