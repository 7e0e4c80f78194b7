/* 常见问题 (R-C3): the station's most-asked knowledge entries, with a local filter.
   Local only: the list comes from /api/public/knowledge, nothing personal. */
(function () {
  "use strict";
  const $ = (id) => document.getElementById(id);
  const el = Yz.el;
  let entries = [];

  function item(entry, index) {
    const keywords = entry.keywords && entry.keywords.length
      ? el("div", { class: "faq-keywords", text: "关键词：" + entry.keywords.join("、") })
      : null;
    return el("li", { class: "faq-item", "data-id": entry.id },
      el("details", { open: index < 3 },
        el("summary", { class: "faq-question", text: entry.question }),
        el("div", { class: "faq-answer", text: entry.answer }),
        keywords));
  }

  function matches(entry, text) {
    if (!text) return true;
    const hay = [entry.question, entry.answer].concat(entry.keywords || []).join(" ");
    return hay.toLowerCase().includes(text.toLowerCase());
  }

  function render() {
    const text = $("filter").value.trim();
    const shown = entries.filter((e) => matches(e, text));
    $("list").replaceChildren(...shown.map(item));
    $("empty").hidden = entries.length > 0;
    $("no-match").hidden = entries.length === 0 || shown.length > 0;
  }

  async function load() {
    try {
      const health = await Yz.getJson("/api/health");
      if (health && health.station_name) $("station-name").textContent = health.station_name;
    } catch (err) {
      /* the name is a nicety; the list below says if the station cannot be reached */
    }
    try {
      entries = await Yz.getJson("/api/public/knowledge");
      $("error").hidden = true;
    } catch (err) {
      $("error").textContent = err.message;
      $("error").hidden = false;
      entries = [];
    }
    render();
  }

  $("filter").addEventListener("input", render);
  load();
})();
