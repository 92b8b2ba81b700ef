// Public map of non-confidential cases (GeoJSON from the server; the reporter is never in it).
(function () {
  "use strict";
  var node = document.getElementById("public-map");
  if (!node || typeof L === "undefined") { return; }
  var map = L.map(node).setView([-1.05, 122.4], 9);
  L.tileLayer(node.dataset.tiles, { maxZoom: 19 }).addTo(map);
  fetch(node.dataset.src, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (data) {
    var layer = L.geoJSON(data, {
      onEachFeature: function (feature, marker) {
        var p = feature.properties;
        var box = document.createElement("div");
        var link = document.createElement("a");
        link.href = "../lacak/" + encodeURIComponent(p.code) + "/";
        link.textContent = p.code;
        box.appendChild(link);
        box.appendChild(document.createTextNode(" " + p.title + " (" + p.state + ")"));
        marker.bindPopup(box);
      }
    }).addTo(map);
    if (data.features.length) { map.fitBounds(layer.getBounds(), { maxZoom: 15 }); }
  });
})();
