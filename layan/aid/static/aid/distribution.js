// Fills the capture time and GPS position from the device when a photo or video is chosen, on every
// evidence form (a handover, an ASN Peduli package): the server keeps the device's time when plausible.
(function () {
  "use strict";
  var forms = document.querySelectorAll("#distribution-form, form[data-evidence-form]");
  if (!forms.length) { return; }
  // An instant in UTC ("...Z"), never the phone's wall-clock time: a phone set to another zone (or to UTC)
  // would otherwise be read in the server's zone and the handover shown hours off.
  function stamp(d) { return d.toISOString(); }
  Array.prototype.forEach.call(forms, function (form) {
    var status = form.querySelector("[data-gps-status]") || document.getElementById("gps-status");
    Array.prototype.forEach.call(form.querySelectorAll("input[type=file]"), function (input) {
      input.addEventListener("change", function () {
        form.querySelector("[name=taken_at]").value = stamp(new Date());
        if (!navigator.geolocation) { return; }
        navigator.geolocation.getCurrentPosition(function (pos) {
          form.querySelector("[name=latitude]").value = pos.coords.latitude.toFixed(6);
          form.querySelector("[name=longitude]").value = pos.coords.longitude.toFixed(6);
          if (status) { status.textContent = pos.coords.latitude.toFixed(5) + ", " + pos.coords.longitude.toFixed(5); }
        }, function () {}, { enableHighAccuracy: true, timeout: 10000 });
      });
    });
  });
})();
