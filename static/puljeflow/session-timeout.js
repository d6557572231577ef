// The warning before an idle session ends (core/_session_timeout.html). The server ends a session
// SESSION_IDLE_MINUTES after its last request; every request this page makes (the autosave's
// included) starts that clock again, so the warning is timed from the last one. "Stay logged in"
// asks the keep-alive view, which is such a request.
(function () {
  "use strict";
  var modal = document.getElementById("session-timeout");
  if (!modal || !window.DKFDS) return;
  var dialog = new window.DKFDS.Modal(modal);
  dialog.init();
  var idle = Number(modal.dataset.idleSeconds) * 1000;
  var warnBefore = Math.min(Number(modal.dataset.warningSeconds) * 1000, idle / 2);
  var lastContact = Date.now();
  var shown = false;
  var ended = false;

  function show(state) {
    modal.querySelectorAll("[data-when]").forEach(function (element) {
      element.hidden = element.dataset.when !== state;
    });
  }

  function logoutTime() {
    var at = new Date(lastContact + idle);
    return at.toLocaleTimeString(document.documentElement.lang || undefined, { hour: "2-digit", minute: "2-digit" });
  }

  var focusBefore = null;

  function open() {
    focusBefore = document.activeElement;
    dialog.show();
    shown = true;
  }

  function tick() {
    var left = lastContact + idle - Date.now();
    if (left <= 0 && !ended) {
      ended = true;
      show("ended");
      if (!shown) { open(); }
    } else if (left <= warnBefore && !shown && !ended) {
      modal.querySelector("[data-logout-time]").textContent = logoutTime();
      show("warning");
      open();
    }
  }

  function contact() {
    lastContact = Date.now();
  }

  function csrfToken() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
    } catch (error) {
      return "";
    }
  }

  modal.querySelector("[data-keep-alive]").addEventListener("click", function () {
    fetch(modal.dataset.keepAliveUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken() }
    }).then(function (response) {
      if (response.status === 401) {
        ended = true;
        show("ended");
        return;
      }
      if (!response.ok) throw new Error(String(response.status));
      contact();
      shown = false;
      show("warning");
      dialog.hide();
      if (focusBefore && focusBefore.focus) focusBefore.focus();
    }).catch(function () {
      modal.querySelector("[data-when='failed']").hidden = false;
    });
  });

  document.addEventListener("htmx:afterRequest", contact);
  window.setInterval(tick, 5000);
})();
