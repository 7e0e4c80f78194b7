/* 排队进度: live people-ahead and wait for one ticket (R-Q2). Shows no personal data. */
(function () {
  "use strict";
  const id = decodeURIComponent(location.pathname.split("/").filter(Boolean).pop() || "");
  const $ = (name) => document.getElementById(name);

  function show(t) {
    $("number").textContent = t.number;
    $("category").textContent = t.category_name;
    $("status").textContent = t.status_label;
    const waiting = t.status === "waiting";
    $("ahead").textContent = waiting ? "前面还有 " + t.people_ahead + " 人" : "";
    $("wait").textContent = !waiting ? ""
      : (t.unstaffed ? "等候时间无法估计" : "预计等候约 " + t.est_wait_min + " 分钟");
    $("windows").textContent = t.window_number
      ? "请到 " + t.window_number + " 号窗口办理"
      : (t.unstaffed ? "目前无人值守" : "请留意 " + Yz.windowsText(t.serving_windows));
    $("warning").hidden = !t.closing_warning;
    $("warning").textContent = t.closing_warning || "";
    $("updated").textContent = Yz.hhmm(new Date().toISOString());
  }

  async function refresh() {
    try {
      show(await Yz.getJson("/api/tickets/" + encodeURIComponent(id) + "/progress"));
    } catch (err) {
      $("status").textContent = err.message || "暂时无法查询，请稍后再试";
    }
  }

  refresh();
  setInterval(refresh, 10000);
})();
