// Autosave safety net: a draft form marked data-autosave is sent once more, with the browser's
// beacon, when the page is hidden or closed, so nothing typed since the last debounce is lost.
(function () {
  "use strict";
  function flush(form) {
    if (form.dataset.dirty !== "true" || !navigator.sendBeacon) return;
    navigator.sendBeacon(form.getAttribute("hx-post"), new FormData(form));
    form.dataset.dirty = "false";
  }
  document.addEventListener("input", function (event) {
    var form = event.target.closest("form[data-autosave]");
    if (form) form.dataset.dirty = "true";
  });
  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = event.target.closest && event.target.closest("form[data-autosave]");
    if (form) form.dataset.dirty = "false";
  });
  function flushAll() {
    document.querySelectorAll("form[data-autosave]").forEach(flush);
  }
  window.addEventListener("pagehide", flushAll);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") flushAll();
  });
})();
