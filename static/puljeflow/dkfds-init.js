// Starts the parts of Det Fælles Designsystem's own JavaScript (dkfds.min.js, loaded before this
// file) that the pages use: the header's mobile menu, the responsive tables, which show each
// cell's column heading when a table is drawn as cards on a narrow screen, the error summary and
// the step indicator's modal. A file of its own,
// since the Content Security Policy runs no inline script.
(function () {
  "use strict";
  if (!window.DKFDS) return;
  var TABLES = "table.table--responsive-headers, table.table-sm-responsive-headers, " +
    "table.table-md-responsive-headers, table.table-lg-responsive-headers";

  function responsiveTables() {
    // dkfds skips the cells that have their heading already, so running it again is cheap.
    document.querySelectorAll(TABLES).forEach(function (table) { new window.DKFDS.ResponsiveTable(table); });
  }

  new window.DKFDS.Navigation().init();
  // A form sent with errors opens with its error summary focused; its links focus each field.
  var summary = document.querySelector('[data-module="error-summary"]');
  if (summary) new window.DKFDS.ErrorSummary(summary).init();
  // The step indicator's list on a narrow screen is a modal (the button "Trin 2 af 7").
  document.querySelectorAll(".fds-modal").forEach(function (modal) { new window.DKFDS.Modal(modal).init(); });
  responsiveTables();
  // Rows that htmx swaps in (sorting, paging, a row saved in place) get their headings too.
  document.addEventListener("htmx:afterSettle", responsiveTables);
})();
