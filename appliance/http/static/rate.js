/* 服务评价 (R-E1, R-E2). Two ways in:
 *  /rate/window/N  the window's tablet or the kiosk: offers the service just finished at
 *                  window N for a short time (polls the offer), then waits for the next;
 *  /rate#t=TOKEN   the one-time link of a receipt or a case notice: the token stays in the
 *                  fragment (never sent in a URL) and is posted in the body.
 * A bad rating (不满意, 非常不满意) asks what went wrong before it can be sent. */
(function () {
  "use strict";
  const $ = (id) => document.getElementById(id);
  const parts = location.pathname.split("/").filter(Boolean);
  const windowNo = parts[1] === "window" ? decodeURIComponent(parts[2] || "") : null;
  const token = new URLSearchParams(location.hash.slice(1)).get("t") || "";
  const POLL_MS = 2000;
  const THANKS_MS = 8000;

  let built = false;
  let offer = null; // the ticket number the tablet offers
  let thanking = false;
  let level = 0;
  let reason = "";
  const dims = {};

  function show(which) {
    for (const id of ["idle", "form", "done"]) $(id).hidden = id !== which;
  }

  function idle(text) {
    $("idle-text").textContent = text;
    show("idle");
  }

  function toggle(button, on) {
    button.setAttribute("aria-checked", on ? "true" : "false");
  }

  function update() {
    for (const b of $("levels").children) toggle(b, Number(b.dataset.level) === level);
    for (const b of $("reasons").children) toggle(b, b.dataset.reason === reason);
    for (const b of document.querySelectorAll(".rt-dim button")) {
      toggle(b, dims[b.dataset.dim] === Number(b.dataset.score));
    }
    $("bad").hidden = !(level > 0 && level <= 2);
    $("submit").disabled = level === 0;
  }

  function reset() {
    level = 0;
    reason = "";
    for (const key of Object.keys(dims)) delete dims[key];
    $("reason-text").value = "";
    $("error").hidden = true;
    $("dims-box").open = false;
    update();
  }

  function build(options) {
    if (built) return;
    built = true;
    for (const o of options.levels) {
      $("levels").append(Yz.el("button", {
        type: "button", class: "rt-level", role: "radio", "data-level": o.value,
        "aria-checked": "false", onclick: () => { level = Number(o.value); update(); },
      }, Yz.el("span", { class: "rt-score num", text: o.value }), o.label));
    }
    for (const d of options.dimensions) {
      const row = Yz.el("div", { class: "rt-dim" }, Yz.el("span", { class: "rt-dim-name", text: d.label }));
      for (let score = 5; score >= 1; score -= 1) {
        row.append(Yz.el("button", {
          type: "button", role: "radio", "data-dim": d.value, "data-score": score,
          "aria-label": d.label + " " + score + " 分", "aria-checked": "false",
          onclick: () => { dims[d.value] = score; update(); },
        }, String(score)));
      }
      $("dims").append(row);
    }
    for (const r of options.reasons) {
      $("reasons").append(Yz.el("button", {
        type: "button", class: "rt-reason", role: "radio", "data-reason": r.value,
        "aria-checked": "false", onclick: () => { reason = reason === r.value ? "" : r.value; update(); },
      }, r.label));
    }
  }

  async function submit(event) {
    event.preventDefault();
    if (level === 0) return;
    const body = { level: level, dimensions: Object.assign({}, dims) };
    const text = $("reason-text").value.trim();
    if (level <= 2) {
      if (reason) body.reason = reason;
      if (text) body.reason_text = text;
    }
    $("submit").disabled = true;
    $("error").hidden = true;
    try {
      let answer;
      if (windowNo !== null) {
        body.ticket_number = offer;
        answer = await Yz.postJson("/api/ratings/windows/" + encodeURIComponent(windowNo), body);
      } else {
        body.token = token;
        answer = await Yz.postJson("/api/ratings/link", body);
      }
      $("done-text").textContent = answer.message;
      show("done");
      if (windowNo !== null) {
        thanking = true;
        setTimeout(() => { thanking = false; offer = null; poll(); }, THANKS_MS);
      }
    } catch (err) {
      $("error").textContent = err.message;
      $("error").hidden = false;
      $("submit").disabled = false;
    }
  }

  async function poll() {
    if (thanking) return;
    try {
      const o = await Yz.getJson("/api/ratings/windows/" + encodeURIComponent(windowNo) + "/offer");
      build(o.options);
      $("subject").textContent = o.window_number + " 号窗口 · " + o.message;
      if (o.available) {
        if (offer !== o.ticket_number) {
          offer = o.ticket_number;
          reset();
          show("form");
        }
      } else {
        offer = null;
        idle(o.message);
      }
    } catch (err) {
      idle(err.message);
    }
  }

  async function startLink() {
    if (!token) {
      idle("评价链接不完整，请重新扫描二维码");
      return;
    }
    try {
      const v = await Yz.postJson("/api/ratings/link/check", { token: token });
      build(v.options);
      $("subject").textContent = v.subject;
      if (v.state === "open") {
        reset();
        show("form");
      } else {
        idle(v.message);
      }
    } catch (err) {
      idle(err.message);
    }
  }

  $("form").addEventListener("submit", submit);
  if (windowNo !== null) {
    poll();
    setInterval(poll, POLL_MS);
  } else {
    startLink();
  }
})();
