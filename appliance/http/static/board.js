/* 公示栏 (R-T1): name, post, phone, photo and whereabouts of each staff member, nothing else.
 * Refreshes every 30 s. A missing photo becomes a locally drawn avatar with the first
 * character of the name; photos from other sites are never loaded (the page works offline).
 */
(function () {
  "use strict";

  const { el, getJson } = window.Yz;

  const REFRESH_MS = 30000;
  const ON_SITE = "在岗";
  const SVG_NS = "http://www.w3.org/2000/svg";
  const AVATAR_COLOURS = ["#b3261e", "#1b5e9e", "#1b7f3b", "#8a4fb3", "#b35c00", "#00796b"];

  const $ = (id) => document.getElementById(id);

  function pad2(n) {
    return String(n).padStart(2, "0");
  }

  function colourFor(name) {
    let h = 0;
    for (const ch of name) h = (h * 31 + ch.codePointAt(0)) >>> 0;
    return AVATAR_COLOURS[h % AVATAR_COLOURS.length];
  }

  /** An inline SVG placeholder: a coloured panel with the first character of the name. */
  function avatar(name) {
    const svg = document.createElementNS(SVG_NS, "svg");
    svg.setAttribute("viewBox", "0 0 160 200");
    svg.setAttribute("role", "img");
    svg.setAttribute("aria-label", name + "（未上传照片）");
    svg.setAttribute("class", "b-avatar");
    const bg = document.createElementNS(SVG_NS, "rect");
    bg.setAttribute("width", "160");
    bg.setAttribute("height", "200");
    bg.setAttribute("fill", colourFor(name));
    const text = document.createElementNS(SVG_NS, "text");
    text.setAttribute("x", "80");
    text.setAttribute("y", "100");
    text.setAttribute("text-anchor", "middle");
    text.setAttribute("dominant-baseline", "central");
    text.setAttribute("fill", "#fff");
    text.setAttribute("font-size", "96");
    text.setAttribute("font-family", "WenQuanYi Zen Hei, Noto Sans CJK SC, sans-serif");
    text.textContent = Array.from(name.trim())[0] || "?";
    svg.append(bg, text);
    return svg;
  }

  /** Only photos served by the station itself (or inline images) are shown. */
  function localPhoto(photo) {
    if (!photo) return null;
    if (/^data:image\/(png|jpeg|gif|webp);/i.test(photo)) return photo;
    try {
      const url = new URL(photo, window.location.origin + "/");
      return url.origin === window.location.origin ? url.href : null;
    } catch (err) {
      return null;
    }
  }

  function photoBox(entry) {
    const box = el("div", { class: "b-photo" });
    const src = localPhoto(entry.photo);
    if (src) {
      const img = el("img", { src, alt: entry.name + "的照片" });
      img.addEventListener("error", () => box.replaceChildren(avatar(entry.name)));
      box.append(img);
    } else {
      box.append(avatar(entry.name));
    }
    return box;
  }

  function card(entry) {
    const onSite = entry.whereabouts === ON_SITE;
    return el("article", { class: "b-card", "data-on-site": onSite ? "true" : "false" },
      photoBox(entry),
      el("div", { class: "b-info" },
        el("div", { class: "b-name", text: entry.name }),
        el("div", { class: "b-post", text: entry.post || "工作人员" }),
        entry.phone ? el("div", { class: "b-phone" }, "电话：",
          el("span", { class: "num", text: entry.phone })) : null,
        el("div", { class: "b-where", text: entry.whereabouts || "—" })));
  }

  async function refresh() {
    try {
      const staff = await getJson("/api/board");
      const grid = $("staff");
      if (staff.length === 0) {
        grid.replaceChildren(el("div", { class: "b-empty", text: "暂无公示信息" }));
      } else {
        grid.replaceChildren(...staff.map(card));
      }
      $("updated").textContent = window.Yz.hhmm(new Date());
      $("conn").hidden = true;
      document.body.dataset.ready = "1";
    } catch (err) {
      $("conn").hidden = false;
    }
  }

  async function loadStationName() {
    try {
      const health = await getJson("/api/health");
      if (health.station_name) $("station-name").textContent = health.station_name;
    } catch (err) {
      /* keep the default name */
    }
  }

  loadStationName();
  refresh();
  setInterval(refresh, REFRESH_MS);
})();
