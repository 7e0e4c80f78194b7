/* 自助取号: touch a category, get a ticket (R-Q1). Rules live on the server; this page only
 * sends the choice and shows the answer, including the server's Chinese error messages.
 */
(function () {
  "use strict";

  const { el, getJson, postJson, windowsText } = window.Yz;

  const RETURN_SECONDS = 10;
  const ERROR_MS = 10000;
  const RETRY_MS = 5000;
  const REFRESH_MS = 60000;
  const PHONE_LEN = 11;

  const $ = (id) => document.getElementById(id);
  const catsBox = $("categories");
  const priority = $("priority");
  const phone = $("phone");
  const keypad = $("keypad");
  const errorBox = $("error");
  let busy = false;
  let countdownTimer = null;
  let errorTimer = null;

  // ---- categories -----------------------------------------------------------------------

  // Each button says how many wait and which of its windows serve now (issue 16): a visitor
  // should know before taking a number that a window is paused or nobody is at it.
  function windowState(w) {
    if (!w) return "";
    if (w.paused) return "暂停";
    if (w.staffed === false) return "无人值守";
    return "";
  }

  function categoryButton(cat, waiting, windows) {
    const serving = cat.windows.filter((n) => !windowState(windows.get(n)));
    const notes = cat.windows
      .map((n) => [n, windowState(windows.get(n))])
      .filter(([, state]) => state)
      .map(([n, state]) => n + " 号窗口" + state);
    const line = serving.length
      ? "办理窗口：" + windowsText(serving) + (notes.length ? "（" + notes.join("，") + "）" : "")
      : "暂无窗口办理（" + (notes.join("，") || "未设窗口") + "）";
    return el("button", {
      type: "button",
      class: "k-cat" + (serving.length ? "" : " k-cat-idle"),
      "data-category": cat.prefix,
      onclick: () => issue(cat),
    },
    el("span", { class: "k-cat-prefix num", text: cat.prefix }),
    el("span", { class: "k-cat-name", text: cat.name }),
    el("span", { class: "k-cat-waiting", text: "等候 " + (waiting.get(cat.prefix) || 0) + " 人" }),
    el("span", { class: "k-cat-windows", text: line }));
  }

  async function loadCategories() {
    try {
      const [cats, snap] = await Promise.all([getJson("/api/categories"), getJson("/api/display")]);
      const waiting = new Map((snap.categories || []).map((c) => [c.prefix, c.waiting]));
      const windows = new Map((snap.windows || []).map((w) => [w.number, w]));
      if (cats.length === 0) {
        catsBox.replaceChildren(el("div", { class: "k-loading", text: "暂无可办理的业务，请咨询工作人员" }));
      } else {
        catsBox.replaceChildren(...cats.map((c) => categoryButton(c, waiting, windows)));
      }
      document.body.dataset.ready = "1";
    } catch (err) {
      showError(err.message);
      setTimeout(loadCategories, RETRY_MS);
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

  // ---- options: priority switch, phone number, on-screen keypad ----------------------------

  priority.addEventListener("click", () => {
    const on = priority.getAttribute("aria-checked") !== "true";
    priority.setAttribute("aria-checked", on ? "true" : "false");
  });

  function setPhone(value) {
    phone.value = value.replace(/\D/g, "").slice(0, PHONE_LEN);
  }

  phone.addEventListener("input", () => setPhone(phone.value));
  phone.addEventListener("focus", () => { keypad.hidden = false; });
  $("keypad-toggle").addEventListener("click", () => { keypad.hidden = !keypad.hidden; });

  keypad.addEventListener("click", (ev) => {
    const key = ev.target.closest("button") && ev.target.closest("button").dataset.key;
    if (!key) return;
    if (key === "close") keypad.hidden = true;
    else if (key === "clear") setPhone("");
    else if (key === "back") setPhone(phone.value.slice(0, -1));
    else setPhone(phone.value + key);
  });

  function resetOptions() {
    priority.setAttribute("aria-checked", "false");
    setPhone("");
    keypad.hidden = true;
  }

  // ---- errors ---------------------------------------------------------------------------

  function showError(message) {
    errorBox.textContent = message;
    errorBox.hidden = false;
    clearTimeout(errorTimer);
    errorTimer = setTimeout(() => { errorBox.hidden = true; }, ERROR_MS);
  }

  function clearError() {
    clearTimeout(errorTimer);
    errorBox.hidden = true;
  }

  // ---- issuing and showing the ticket ---------------------------------------------------

  function setBusy(on) {
    busy = on;
    for (const b of catsBox.querySelectorAll("button")) b.disabled = on;
  }

  async function issue(cat) {
    if (busy) return;
    clearError();
    setBusy(true);
    const body = {
      category: cat.id,
      priority: priority.getAttribute("aria-checked") === "true" ? "vulnerable" : "normal",
    };
    if (phone.value) body.phone = phone.value;
    try {
      showTicket(await postJson("/api/kiosk/tickets", body));
    } catch (err) {
      showError(err.message);
    } finally {
      setBusy(false);
    }
  }

  function showTicket(t) {
    $("t-number").textContent = t.number;
    $("t-category").textContent = t.category_name;
    const badge = $("t-priority");
    badge.hidden = t.priority === "normal";
    badge.textContent = t.priority_label || "";
    $("t-ahead").textContent = String(t.people_ahead);
    $("t-wait").textContent = String(t.est_wait_min);
    $("t-windows").textContent = windowsText(t.serving_windows);
    // nobody at a window of this category (issue 16): no wait is promised
    $("t-wait").parentElement.hidden = Boolean(t.unstaffed);
    $("t-windows").parentElement.hidden = Boolean(t.unstaffed);
    const warning = $("t-warning");
    warning.hidden = !t.closing_warning;
    warning.textContent = t.closing_warning || "";
    resetOptions(); // the phone number must not stay on screen for the next person
    $("ticket").hidden = false;
    $("done").focus();

    let left = RETURN_SECONDS;
    $("t-countdown").textContent = String(left);
    clearInterval(countdownTimer);
    countdownTimer = setInterval(() => {
      left -= 1;
      $("t-countdown").textContent = String(Math.max(left, 0));
      if (left <= 0) finish();
    }, 1000);
  }

  function finish() {
    clearInterval(countdownTimer);
    countdownTimer = null;
    $("ticket").hidden = true;
    resetOptions();
  }

  $("done").addEventListener("click", finish);

  loadStationName();
  loadCategories();
  setInterval(() => { if (!busy && $("ticket").hidden) loadCategories(); }, REFRESH_MS);
})();
