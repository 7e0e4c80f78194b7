/* 网上预约 (R-Q7): choose a category, a day and a free slot, leave a mobile number, book.
   Local only: every request goes to the station; the answer shows the phone masked. */
(function () {
  "use strict";
  const $ = (id) => document.getElementById(id);
  const el = Yz.el;
  const PHONE = /^1\d{10}$/;
  let chosen = null;

  function showError(message) {
    $("error").textContent = message || "";
    $("error").hidden = !message;
  }

  function localToday() {
    return window.Yz.today(); // the station's date, not the phone's
  }

  function slotButton(slot) {
    const full = slot.free <= 0 || slot.past;
    const label = slot.label + (slot.past ? "（已过）" : full ? "（已满）" : "（余 " + slot.free + "）");
    return el("button", {
      type: "button", class: "book-slot", role: "radio", "data-time": slot.time,
      "aria-checked": "false", disabled: full, text: label,
      onclick: (ev) => {
        chosen = slot.time;
        for (const b of $("slots").children) b.setAttribute("aria-checked", "false");
        ev.currentTarget.setAttribute("aria-checked", "true");
        showError("");
      },
    });
  }

  async function loadSlots() {
    chosen = null;
    const category = $("category").value;
    const day = $("day").value;
    $("slots").replaceChildren();
    if (!category || !day) return;
    try {
      const query = "?category=" + encodeURIComponent(category) + "&day=" + encodeURIComponent(day);
      const view = await Yz.getJson("/api/public/appointments/slots" + query);
      $("slots-note").hidden = view.open;
      $("slots-note").textContent = view.open ? "" : view.message;
      $("slots").replaceChildren(...view.slots.map(slotButton));
      if ($("item").dataset.category !== category) {
        const none = el("option", { value: "", text: "不选择事项" });
        const items = (view.items || []).map((i) => el("option", { value: i.code, text: i.name }));
        $("item").replaceChildren(none, ...items);
        $("item").dataset.category = category;
      }
    } catch (err) {
      showError(err.message);
    }
  }

  async function submit(ev) {
    ev.preventDefault();
    const phone = $("phone").value.trim();
    if (!chosen) return showError("请选择预约时段");
    if (!PHONE.test(phone)) return showError("手机号码格式不正确，应为 11 位数字，以 1 开头");
    showError("");
    $("submit").disabled = true;
    try {
      const done = await Yz.postJson("/api/public/appointments", {
        category: $("category").value, day: $("day").value, time: chosen,
        phone: phone, visitor_name: $("name").value.trim(), item_code: $("item").value,
      });
      $("done-number").textContent = done.number;
      $("done-category").textContent = done.item_name || done.category_name;
      $("done-slot").textContent = done.day + " " + done.slot_label;
      $("done-phone").textContent = done.phone_masked;
      $("done-message").textContent = done.message;
      if ($("item").value) {
        $("done-guide").href = "/api/catalogue/items/" + encodeURIComponent($("item").value) + "/guide.pdf";
        $("done-guide").hidden = false;
      }
      $("form").hidden = true;
      $("done").hidden = false;
    } catch (err) {
      showError(err.message);
      loadSlots();
    } finally {
      $("submit").disabled = false;
    }
  }

  async function start() {
    try {
      const health = await Yz.getJson("/api/health");
      if (health && health.station_name) $("station-name").textContent = health.station_name;
    } catch (err) {
      /* the name is a nicety */
    }
    $("day").value = localToday();
    try {
      const cats = await Yz.getJson("/api/categories");
      $("category").replaceChildren(...cats.map((c) => el("option", { value: c.prefix, text: c.name })));
      if (cats.length) {
        /* the station's today, not the phone's: the slots answer without a day says it */
        const first = await Yz.getJson(
          "/api/public/appointments/slots?category=" + encodeURIComponent(cats[0].prefix));
        $("day").value = first.day;
      }
    } catch (err) {
      showError(err.message);
    }
    $("day").min = $("day").value;
    $("category").addEventListener("change", loadSlots);
    $("day").addEventListener("change", loadSlots);
    $("form").addEventListener("submit", submit);
    await loadSlots();
  }

  start();
})();
