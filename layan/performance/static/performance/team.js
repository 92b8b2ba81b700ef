// The supervisor's team page: "select all" for bulk approval, and one row per report when a report that
// is already on the page comes back through the poll (edited by the employee after a return).
(function () {
  "use strict";
  var list = document.getElementById("team-list");
  var all = document.getElementById("team-select-all");
  if (all && list) {
    all.addEventListener("change", function () {
      list.querySelectorAll('input[name="report"]').forEach(function (box) {
        box.checked = all.checked;
      });
    });
  }
  document.body.addEventListener("htmx:afterSettle", function () {
    if (!list) {
      return;
    }
    var seen = {};
    list.querySelectorAll("li.team-report").forEach(function (row) {
      if (seen[row.id]) {
        row.remove();
      } else {
        seen[row.id] = true;
      }
    });
  });
})();
