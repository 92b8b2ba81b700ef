// The guided complaint form: an optional pin on a Leaflet map (tiles from the configured URL), or the
// phone's own location. Without JavaScript the form still works (the pin is optional).
(function () {
  "use strict";
  var mapNode = document.getElementById("pin-map");
  var lat = document.getElementById("id_latitude");
  var lon = document.getElementById("id_longitude");
  var label = document.getElementById("pin-label");
  if (!mapNode || !lat || !lon || typeof L === "undefined") { return; }
  var start = lat.value && lon.value ? [parseFloat(lat.value), parseFloat(lon.value)] : [-1.05, 122.4];
  var map = L.map(mapNode).setView(start, lat.value ? 16 : 9);
  L.tileLayer(mapNode.dataset.tiles, { maxZoom: 19 }).addTo(map);
  var marker = null;
  function place(latitude, longitude) {
    lat.value = latitude.toFixed(6);
    lon.value = longitude.toFixed(6);
    if (marker) { marker.setLatLng([latitude, longitude]); } else { marker = L.marker([latitude, longitude]).addTo(map); }
    if (label) { label.textContent = lat.value + ", " + lon.value; }
  }
  if (lat.value && lon.value) { place(start[0], start[1]); }
  map.on("click", function (event) { place(event.latlng.lat, event.latlng.lng); });
  var button = document.getElementById("use-location");
  if (button && navigator.geolocation) {
    button.addEventListener("click", function () {
      navigator.geolocation.getCurrentPosition(function (position) {
        place(position.coords.latitude, position.coords.longitude);
        map.setView([position.coords.latitude, position.coords.longitude], 17);
      });
    });
  }
  var form = document.getElementById("complaint-form");
  if (form) {
    // One click, one report: a double tap on a slow connection must not send twice (the server is
    // idempotent on client_key as well).
    form.addEventListener("submit", function () {
      var submit = form.querySelector("button[type=submit]");
      if (submit) { submit.disabled = true; }
    });
  }
})();
