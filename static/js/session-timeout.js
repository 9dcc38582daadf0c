/* Session time-out warning (WCAG 2.2.1; templates/accounts/_session_timeout.html).
   Before the idle limit, asks the server how long the session really has (activity in another tab counts), then
   opens a modal dialog that takes focus: "Tiếp tục làm việc" (or Escape) extends the session without leaving the
   page, "Đăng xuất" signs out. At the limit the dialog says the session has ended and how to sign in again.
   Asking how long is left does not count as activity; only the button (or a real request) does. */
(function () {
  "use strict";
  var dialog = document.getElementById("session-timeout");
  if (!dialog || typeof dialog.showModal !== "function" || !window.fetch) { return; }
  var warningPart = dialog.querySelector("[data-session-warning]");
  var endedPart = dialog.querySelector("[data-session-ended]");
  var endTime = dialog.querySelector("[data-session-end]");
  var extendForm = dialog.querySelector("[data-session-extend]");
  var statusUrl = dialog.getAttribute("data-status-url");
  var warningMs = Number(dialog.getAttribute("data-warning-seconds")) * 1000;
  var deadline = Date.now() + Number(dialog.getAttribute("data-seconds-left")) * 1000;
  var timer = null;
  var returnFocus = null;
  var ended = false;

  function answer(response) {
    var type = response.headers.get("Content-Type") || "";
    // Signed out on the server: a 401, or the sign-in page after a redirect.
    return type.indexOf("application/json") === -1 ? {signed_in: false} : response.json();
  }

  function ask(url, options) {
    options = options || {};
    options.credentials = "same-origin";
    options.cache = "no-store";
    options.headers = Object.assign({Accept: "application/json"}, options.headers || {});
    return fetch(url, options).then(answer);
  }

  function at(when) {
    var time = new Date(when);
    return ("0" + time.getHours()).slice(-2) + ":" + ("0" + time.getMinutes()).slice(-2);
  }

  function wait(ms, then) {
    window.clearTimeout(timer);
    timer = window.setTimeout(then, Math.max(0, ms));
  }

  function schedule() { wait(deadline - warningMs - Date.now(), check); }

  function open(titleId, textId) {
    dialog.setAttribute("aria-labelledby", titleId);
    dialog.setAttribute("aria-describedby", textId);
    if (!dialog.open) {
      returnFocus = document.activeElement;
      dialog.showModal();
    }
    dialog.focus();
  }

  function close() {
    if (dialog.open) { dialog.close(); }
    if (returnFocus && typeof returnFocus.focus === "function") { returnFocus.focus(); }
  }

  function showWarning() {
    warningPart.hidden = false;
    endedPart.hidden = true;
    endTime.textContent = at(deadline);
    open("session-timeout-title", "session-timeout-text");
    wait(deadline - Date.now(), check);
  }

  function showEnded() {
    ended = true;
    window.clearTimeout(timer);
    warningPart.hidden = true;
    endedPart.hidden = false;
    open("session-ended-title", "session-ended-text");
  }

  // What the server says decides: more time left (the person was active elsewhere) closes or postpones the warning.
  function check() {
    ask(statusUrl).then(function (state) {
      if (!state.signed_in || state.seconds_left <= 0) { showEnded(); return; }
      deadline = Date.now() + state.seconds_left * 1000;
      if (deadline - Date.now() > warningMs + 5000) {
        if (dialog.open) { close(); }
        schedule();
      } else {
        showWarning();
      }
    }).catch(function () {
      // No answer (offline): go by this page's own count.
      if (Date.now() >= deadline) { showEnded(); } else { showWarning(); }
    });
  }

  function extend() {
    ask(extendForm.action, {method: "POST", body: new FormData(extendForm)}).then(function (state) {
      if (!state.signed_in) { showEnded(); return; }
      deadline = Date.now() + state.seconds_left * 1000;
      close();
      schedule();
    }).catch(function () { /* the dialog stays open; the button can be pressed again */ });
  }

  extendForm.addEventListener("submit", function (event) {
    event.preventDefault();
    extend();
  });
  // Escape means "I am here": it extends the session like the button (once ended, it only closes the dialog).
  dialog.addEventListener("cancel", function (event) {
    if (ended) { return; }
    event.preventDefault();
    extend();
  });
  dialog.querySelector("[data-session-close]").addEventListener("click", close);
  schedule();
})();
