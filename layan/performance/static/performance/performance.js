// The daily report form: keep a fresh client UUID for each new report, so that a re-sent form
// (double tap, flaky connection) is recognised by the server as the same report.
(function () {
  "use strict";
  var field = document.querySelector('.report-form input[name="client_uuid"]');
  if (!field || field.value || !window.crypto || !window.crypto.randomUUID) {
    return;
  }
  field.value = window.crypto.randomUUID();
})();
