/* 驿站 shared page helpers. Local only: every request goes to the station itself. */
(function () {
  "use strict";

  const WEEKDAYS = ["星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"];

  /** An error carrying the server's Chinese message (or a network message). */
  class YzError extends Error {
    constructor(message, code, status) {
      super(message);
      this.code = code || "";
      this.status = status || 0;
    }
  }

  /**
   * Build an element. Text children are set as text nodes, never as HTML,
   * so data from the server cannot inject markup.
   */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "class") node.className = value;
      else if (key === "text") node.textContent = value;
      else if (key.startsWith("on") && typeof value === "function") {
        node.addEventListener(key.slice(2), value);
      } else node.setAttribute(key, value === true ? "" : String(value));
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  async function request(url, options) {
    let resp;
    try {
      resp = await fetch(url, Object.assign({ cache: "no-store" }, options || {}));
    } catch (err) {
      throw new YzError("网络连接失败，请稍后再试或联系工作人员", "network", 0);
    }
    let body = null;
    try {
      body = await resp.json();
    } catch (err) {
      body = null;
    }
    if (!resp.ok) {
      const msg = body && typeof body.message === "string" && body.message
        ? body.message
        : "系统暂时无法处理，请联系工作人员（错误 " + resp.status + "）";
      throw new YzError(msg, body && body.error, resp.status);
    }
    return body;
  }

  function getJson(url) {
    return request(url, { method: "GET" });
  }

  function postJson(url, data) {
    return request(url, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(data),
    });
  }

  function pad2(n) {
    return String(n).padStart(2, "0");
  }

  // Times are the station's (its time zone comes from /station.js), never the browser's:
  // a display PC or a visitor's phone may be set to another zone.
  const TZ = window.YZ_TZ || "Asia/Shanghai";
  const PARTS = new Intl.DateTimeFormat("en-US", {
    timeZone: TZ, year: "numeric", month: "numeric", day: "numeric", weekday: "short",
    hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23",
  });
  const DAY_INDEX = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

  /** The station-local fields of a Date: y, m (1–12), d, wd (0 = Sunday), H, M, S. */
  function local(d) {
    const p = {};
    for (const part of PARTS.formatToParts(d)) p[part.type] = part.value;
    return {
      y: Number(p.year), m: Number(p.month), d: Number(p.day), wd: DAY_INDEX[p.weekday],
      H: Number(p.hour) % 24, M: Number(p.minute), S: Number(p.second),
    };
  }

  /** "09:05" from an ISO timestamp, in the station's time zone. */
  function hhmm(iso) {
    const d = iso instanceof Date ? iso : new Date(iso);
    if (Number.isNaN(d.getTime())) return "";
    const t = local(d);
    return pad2(t.H) + ":" + pad2(t.M);
  }

  /** "2026-11-23": the station's date today. */
  function today() {
    const t = local(new Date());
    return t.y + "-" + pad2(t.m) + "-" + pad2(t.d);
  }

  function dateLine(d) {
    const t = local(d);
    return t.y + "年" + t.m + "月" + t.d + "日 " + WEEKDAYS[t.wd];
  }

  /** Keep a clock (time node, optional date node) ticking every second. */
  function startClock(timeNode, dateNode) {
    function tick() {
      const d = new Date();
      const t = local(d);
      timeNode.textContent = pad2(t.H) + ":" + pad2(t.M) + ":" + pad2(t.S);
      if (dateNode) dateNode.textContent = dateLine(d);
    }
    tick();
    return setInterval(tick, 1000);
  }

  /** [1, 2] → "1、2 号窗口". */
  function windowsText(numbers) {
    if (!numbers || numbers.length === 0) return "请听从工作人员引导";
    return numbers.join("、") + " 号窗口";
  }

  window.Yz = { YzError, el, getJson, postJson, hhmm, today, dateLine, startClock, windowsText };
})();
