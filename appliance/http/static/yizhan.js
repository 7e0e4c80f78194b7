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

  /** "09:05" from an ISO timestamp, in the device's local time. */
  function hhmm(iso) {
    const d = new Date(iso);
    if (Number.isNaN(d.getTime())) return "";
    return pad2(d.getHours()) + ":" + pad2(d.getMinutes());
  }

  function dateLine(d) {
    return d.getFullYear() + "年" + (d.getMonth() + 1) + "月" + d.getDate() + "日 " +
      WEEKDAYS[d.getDay()];
  }

  /** Keep a clock (time node, optional date node) ticking every second. */
  function startClock(timeNode, dateNode) {
    function tick() {
      const d = new Date();
      timeNode.textContent = pad2(d.getHours()) + ":" + pad2(d.getMinutes()) + ":" +
        pad2(d.getSeconds());
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

  window.Yz = { YzError, el, getJson, postJson, hhmm, dateLine, startClock, windowsText };
})();
