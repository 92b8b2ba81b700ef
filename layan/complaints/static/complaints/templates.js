// Response templates on the case page: a click fills the textarea of the same form in place. Without
// JavaScript the link reloads the page with ?templat=<id> and the server pre-fills the form instead.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest(".template-choice") : null;
    if (!link) { return; }
    var form = link.closest("form");
    var area = form ? form.querySelector("textarea") : null;
    if (!area) { return; }
    event.preventDefault();
    area.value = link.dataset.text;
    area.focus();
  });
})();
