// Fills the capture time and GPS position from the device when a photo is chosen (the server keeps
// the device's time, like the offline check-in queue).
(function () {
  "use strict";
  var form = document.getElementById("distribution-form");
  if (!form) { return; }
  var photo = form.querySelector("input[type=file]");
  var status = document.getElementById("gps-status");
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function stamp(d) {
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()) + "T" + pad(d.getHours()) +
      ":" + pad(d.getMinutes()) + ":" + pad(d.getSeconds());
  }
  photo.addEventListener("change", function () {
    form.querySelector("[name=taken_at]").value = stamp(new Date());
    if (!navigator.geolocation) { return; }
    navigator.geolocation.getCurrentPosition(function (pos) {
      form.querySelector("[name=latitude]").value = pos.coords.latitude.toFixed(6);
      form.querySelector("[name=longitude]").value = pos.coords.longitude.toFixed(6);
      if (status) { status.textContent = pos.coords.latitude.toFixed(5) + ", " + pos.coords.longitude.toFixed(5); }
    }, function () {}, { enableHighAccuracy: true, timeout: 10000 });
  });
})();
