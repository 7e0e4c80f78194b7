/* 叫号屏: live hall display (R-Q3). Only ticket numbers, never personal data.
 *
 * Live updates come from the server-sent event stream /api/display/stream (event
 * "display", data = DisplaySnapshot). While the stream is down the page shows a small
 * "连接中断，正在重连…" notice and polls /api/display every 3 s; EventSource reconnects
 * by itself, and a stream the browser gave up on is reopened after a pause.
 */
(function () {
  "use strict";

  const { el, getJson, hhmm, startClock } = window.Yz;

  const POLL_MS = 3000;
  const REOPEN_MS = 5000;
  const FLASH_MS = 5000;
  const RECENT_SHOWN = 6;

  const $ = (id) => document.getElementById(id);
  const windowsBox = $("windows");
  const panels = new Map(); // window number → {node, key}
  let lastSeq = -1;
  let seenCalls = null; // Set of call keys; null until the first snapshot
  let live = false;
  let pollTimer = null;
  let source = null;

  startClock($("clock-time"), $("clock-date"));

  // ---- rendering ------------------------------------------------------------------------

  function columnsFor(count) {
    if (count <= 2) return { cols: 1, size: String(count) };
    if (count <= 4) return { cols: 2, size: String(count) };
    return { cols: 3, size: "many" };
  }

  function panelKey(w) {
    return [w.name, w.paused, w.pause_reason || "", w.current_number || "", w.staffed].join("|");
  }

  function panelBody(w) {
    if (w.paused) {
      return el("div", { class: "win-body" },
        el("div", { class: "win-paused", text: "暂停服务" }),
        el("div", { class: "win-reason", text: w.pause_reason || "请稍候" }));
    }
    if (w.current_number) {
      return el("div", { class: "win-body" },
        el("span", { class: "win-number num", text: w.current_number }),
        el("span", { class: "win-arrow", text: "→" }),
        el("span", { class: "win-to", text: w.number + " 号窗口" }));
    }
    if (w.staffed === false) { // nobody logged in at the window: it is not open (issue 16)
      return el("div", { class: "win-body" },
        el("div", { class: "win-paused win-unstaffed", text: "无人值守" }),
        el("div", { class: "win-reason", text: "暂无工作人员，请咨询引导台" }));
    }
    return el("div", { class: "win-body" }, el("span", { class: "win-idle", text: "等待叫号" }));
  }

  function flash(node, cls) {
    node.classList.remove(cls);
    void node.offsetWidth; // restart the animation
    node.classList.add(cls);
    clearTimeout(node._flashTimer);
    node._flashTimer = setTimeout(() => node.classList.remove(cls), FLASH_MS);
  }

  function renderWindows(windows, flashed) {
    if (windows.length === 0) {
      panels.clear();
      windowsBox.replaceChildren(el("div", { class: "d-empty", text: "暂未设置服务窗口" }));
      return;
    }
    const layout = columnsFor(windows.length);
    windowsBox.style.setProperty("--cols", layout.cols);
    windowsBox.dataset.count = layout.size;
    const ordered = [];
    for (const w of windows) {
      let entry = panels.get(w.number);
      if (!entry) {
        entry = { node: el("article", { class: "win", "data-window": w.number }), key: null };
        panels.set(w.number, entry);
      }
      const key = panelKey(w);
      if (key !== entry.key) {
        entry.key = key;
        entry.node.dataset.state = w.paused ? "paused"
          : (w.current_number ? "calling" : (w.staffed === false ? "unstaffed" : "idle"));
        entry.node.setAttribute("aria-label", w.name);
        entry.node.replaceChildren(el("div", { class: "win-name", text: w.name }), panelBody(w));
      }
      if (flashed.has(w.number) && !w.paused) flash(entry.node, "flash");
      ordered.push(entry.node);
    }
    const keep = new Set(windows.map((w) => w.number));
    for (const number of [...panels.keys()]) if (!keep.has(number)) panels.delete(number);
    if (windowsBox.children.length !== ordered.length ||
        ordered.some((node, i) => windowsBox.children[i] !== node)) {
      windowsBox.replaceChildren(...ordered);
    }
  }

  function callKey(c) {
    return c.number + "|" + c.window_number + "|" + c.at;
  }

  function renderRecent(calls, fresh) {
    const list = $("recent");
    const shown = calls.slice(0, RECENT_SHOWN);
    if (shown.length === 0) {
      list.replaceChildren(el("li", { class: "d-muted", text: "今日暂无叫号" }));
      return;
    }
    list.replaceChildren(...shown.map((c) => {
      const li = el("li", { "data-number": c.number, class: c.active ? "active" : "" },
        el("span", { class: "r-number num", text: c.number }),
        el("span", { class: "r-window", text: "→ " + c.window_number + " 号窗口" }),
        el("span", { class: "r-time num", text: hhmm(c.at) }));
      if (fresh.has(callKey(c))) flash(li, "fresh");
      return li;
    }));
  }

  function renderWaiting(categories) {
    const list = $("waiting");
    if (categories.length === 0) {
      list.replaceChildren(el("li", { class: "d-muted", text: "暂无业务类别" }));
      return;
    }
    list.replaceChildren(...categories.map((c) => el("li", { "data-prefix": c.prefix },
      el("span", { class: "w-prefix num", text: c.prefix }),
      el("span", { class: "w-name", text: c.name }),
      el("span", { class: "w-count" },
        el("span", { class: "num", text: String(c.waiting) }), el("small", { text: " 人" })))));
  }

  function renderNotices(notices) {
    const track = $("notice-track");
    const text = $("notice-text");
    const joined = (notices || []).filter((n) => n && n.trim()).join("　　◆　　");
    const wanted = joined || text.dataset.fallback || text.textContent;
    if (!text.dataset.fallback) text.dataset.fallback = text.textContent;
    if (text.textContent === wanted && track.dataset.measured) return;
    text.textContent = wanted;
    track.classList.remove("scrolling");
    track.dataset.measured = "1";
    if (text.scrollWidth > track.clientWidth) {
      track.style.setProperty("--scroll-seconds", Math.max(15, wanted.length * 0.35) + "s");
      track.classList.add("scrolling");
    }
  }

  // A notice that starts with ⚠ is a device fault (no paper ticket, no voice): it gets a
  // red banner across the screen, with the latest numbers ("最近取号：…") under it, so
  // visitors who got no ticket still know their number is called on screen.
  function renderFault(notices) {
    const all = (notices || []).filter((n) => n && n.trim());
    const faults = all.filter((n) => n.startsWith("⚠"));
    const recent = all.find((n) => n.startsWith("最近取号")) || "";
    const box = $("fault");
    box.hidden = faults.length === 0;
    document.body.dataset.fault = faults.length ? "1" : "0";
    $("fault-text").textContent = faults.join("　");
    $("fault-recent").textContent = faults.length ? recent : "";
  }

  function apply(snap) {
    lastSeq = Math.max(lastSeq, snap.event_seq);
    $("station-name").textContent = snap.station_name || "便民服务驿站";
    document.title = "叫号屏 · " + (snap.station_name || "便民服务驿站");

    const calls = snap.recent_calls || [];
    const fresh = new Set();
    const flashed = new Set();
    if (seenCalls !== null) {
      for (const c of calls) {
        const key = callKey(c);
        if (!seenCalls.has(key)) {
          fresh.add(key);
          flashed.add(c.window_number);
        }
      }
    }
    seenCalls = new Set(calls.map(callKey));

    renderWindows(snap.windows || [], flashed);
    renderRecent(calls, fresh);
    renderWaiting(snap.categories || []);
    renderNotices(snap.notices);
    renderFault(snap.notices);
    document.body.dataset.seq = String(snap.event_seq);
  }

  // ---- connection -----------------------------------------------------------------------

  async function poll() {
    try {
      const snap = await getJson("/api/display");
      if (!live && snap.event_seq >= lastSeq) apply(snap);
    } catch (err) {
      /* still offline; the banner stays up and the next poll retries */
    }
  }

  function setLive(ok) {
    live = ok;
    document.body.dataset.conn = ok ? "live" : "polling";
    $("conn").hidden = ok;
    if (ok && pollTimer !== null) {
      clearInterval(pollTimer);
      pollTimer = null;
    } else if (!ok && pollTimer === null) {
      pollTimer = setInterval(poll, POLL_MS);
      poll();
    }
  }

  function connect() {
    source = new EventSource("/api/display/stream");
    source.addEventListener("display", (ev) => {
      let snap;
      try {
        snap = JSON.parse(ev.data);
      } catch (err) {
        return;
      }
      if (!live) setLive(true);
      apply(snap);
    });
    source.addEventListener("error", () => {
      setLive(false);
      if (source.readyState === EventSource.CLOSED) {
        // The browser gave up (e.g. an error status): open a new stream later.
        source.close();
        setTimeout(connect, REOPEN_MS);
      }
    });
  }

  connect();
})();
