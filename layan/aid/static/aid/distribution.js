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
    var inputs = form.querySelectorAll("input[type=file]");
    function capture() {
      form.querySelector("[name=taken_at]").value = stamp(new Date());
      if (!navigator.geolocation) { return; }
      navigator.geolocation.getCurrentPosition(function (pos) {
        form.querySelector("[name=latitude]").value = pos.coords.latitude.toFixed(6);
        form.querySelector("[name=longitude]").value = pos.coords.longitude.toFixed(6);
        if (status) { status.textContent = pos.coords.latitude.toFixed(5) + ", " + pos.coords.longitude.toFixed(5); }
      }, function () {
        // The handover can still be saved without a position; the officer should know it has none.
        if (status && status.dataset.failed) { status.textContent = status.dataset.failed; }
      }, { enableHighAccuracy: true, timeout: 10000 });
    }
    Array.prototype.forEach.call(inputs, function (input) {
      input.addEventListener("change", capture);
    });
    // A video longer than the server accepts is refused at once, before a long upload on a weak signal.
    var maxSeconds = parseInt(form.dataset.maxVideoSeconds || "0", 10);
    var video = form.querySelector("input[type=file][name=video]");
    if (video && maxSeconds) {
      video.addEventListener("change", function () {
        if (!video.files[0]) { return; }
        LayanVideo.seconds(video.files[0], function (seconds) {
          if (seconds !== null && seconds > maxSeconds) {
            video.value = "";
            if (status && form.dataset.videoTooLong) { status.textContent = form.dataset.videoTooLong; }
          }
        });
      });
    }
    // On a weak signal the officer may choose the photo before this script has arrived: take the time and
    // position now rather than leaving the handover without them.
    if (Array.prototype.some.call(inputs, function (input) { return input.files && input.files.length; })) {
      capture();
    }
  });
})();
