// Starts the parts of Det Fælles Designsystem's own JavaScript (dkfds.min.js, loaded before this
// file) that the pages use: the header's mobile menu and the responsive tables, which show each
// cell's column heading when a table is drawn as cards on a narrow screen. A file of its own,
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
  responsiveTables();
  // Rows that htmx swaps in (sorting, paging, a row saved in place) get their headings too.
  document.addEventListener("htmx:afterSettle", responsiveTables);
})();
