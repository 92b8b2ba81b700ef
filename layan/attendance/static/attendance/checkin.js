/* Layan presensi (PWA): live camera selfie (getUserMedia only, no gallery), GPS position, and an IndexedDB
   queue so a check-in made without signal is kept with its device time and client UUID and sent once the
   signal returns. The server decides everything; a re-send of the same UUID never makes a second record. */
(function () {
  "use strict";
  var app = document.getElementById("checkin-app");
  if (!app) { return; }
  var text = document.getElementById("messages").dataset;
  var video = document.getElementById("camera");
  var canvas = document.getElementById("snapshot");
  var result = document.getElementById("result");
  var queueState = document.getElementById("queue-state");
  var buttons = [document.getElementById("btn-in"), document.getElementById("btn-out")];
  var DB_NAME = "layan-presensi";
  var STORE = "queue";
  var position = null;
  var cameraReady = false;
  var flushing = false;

  function uuid4() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  function deviceId() {
    var id = localStorage.getItem("layan-device-id");
    if (!id) { id = uuid4(); localStorage.setItem("layan-device-id", id); }
    return id;
  }

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : app.dataset.csrf;
  }

  function show(message, kind) {
    result.className = "alert alert-" + (kind || "info");
    result.textContent = message;
  }

  // --- IndexedDB queue ---------------------------------------------------------------------------
  function openDb() {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () { request.result.createObjectStore(STORE, { keyPath: "client_uuid" }); };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function withStore(mode, action) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, mode);
        var request = action(tx.objectStore(STORE));
        tx.oncomplete = function () { db.close(); resolve(request ? request.result : undefined); };
        tx.onerror = function () { db.close(); reject(tx.error); };
      });
    });
  }

  function queuePut(record) { return withStore("readwrite", function (s) { return s.put(record); }); }
  function queueAll() { return withStore("readonly", function (s) { return s.getAll(); }); }
  function queueDelete(id) { return withStore("readwrite", function (s) { return s.delete(id); }); }

  function updateQueueState() {
    return queueAll().then(function (items) {
      queueState.textContent = items.length ? items.length + " " + queueState.dataset.pending : queueState.dataset.empty;
      queueState.dataset.count = String(items.length);
    });
  }

  // --- sending -----------------------------------------------------------------------------------
  function send(record) {
    var form = new FormData();
    ["client_uuid", "kind", "device_time", "latitude", "longitude", "accuracy_m", "fix_age_s", "mock_location",
      "device_id"].forEach(function (key) { form.append(key, record[key]); });
    form.append("selfie", record.selfie, "selfie.jpg");
    return fetch(app.dataset.api, {
      method: "POST", body: form, credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), "Accept": "application/json" }
    });
  }

  function describe(response, body) {
    if (response.ok) {
      var time = new Date(body.recorded_at).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
      if (body.status === "flagged") {
        var reasons = (body.signals || []).map(function (s) { return s.message; }).join("; ");
        return [text.flagged + " " + reasons, "warning"];
      }
      return [text.sent + " " + time + ".", "success"];
    }
    return [(body && body.message) || response.statusText, "danger"];
  }

  function flush() {
    if (flushing) { return Promise.resolve(); }
    flushing = true;
    return queueAll().then(function (items) {
      items.sort(function (a, b) { return a.device_time < b.device_time ? -1 : 1; });
      var chain = Promise.resolve(true);
      items.forEach(function (record) {
        chain = chain.then(function (goOn) {
          if (!goOn) { return false; }
          return send(record).then(function (response) {
            return response.json().catch(function () { return {}; }).then(function (body) {
              if (response.status >= 500 || response.status === 401 || response.status === 403) {
                show((body && body.message) || text.savedOffline, "warning");
                return false; // keep it; try again later
              }
              var shown = describe(response, body);
              show(shown[0], shown[1]);
              return queueDelete(record.client_uuid).then(function () { return true; });
            });
          }, function () { show(text.savedOffline, "warning"); return false; });
        });
      });
      return chain;
    }).then(updateQueueState).finally(function () { flushing = false; });
  }

  // --- capture -----------------------------------------------------------------------------------
  function capture() {
    var width = Math.min(video.videoWidth || 480, 640);
    var height = Math.round((video.videoHeight || 640) * width / (video.videoWidth || 480));
    canvas.width = width; canvas.height = height;
    canvas.getContext("2d").drawImage(video, 0, 0, width, height);
    return new Promise(function (resolve) { canvas.toBlob(resolve, "image/jpeg", 0.8); });
  }

  function checkIn(kind) {
    if (!cameraReady) { show(text.noCamera, "danger"); return; }
    if (!position) { show(text.noGps, "warning"); return; }
    buttons.forEach(function (b) { b.disabled = true; });
    setTimeout(function () { buttons.forEach(function (b) { b.disabled = false; }); }, 3000);
    var now = Date.now();
    capture().then(function (blob) {
      var record = {
        client_uuid: uuid4(), kind: kind, device_time: new Date(now).toISOString(),
        latitude: position.coords.latitude.toFixed(6), longitude: position.coords.longitude.toFixed(6),
        accuracy_m: Math.round(position.coords.accuracy || 0),
        fix_age_s: Math.max(0, Math.round((now - position.timestamp) / 1000)),
        mock_location: "false", device_id: deviceId(), selfie: blob
      };
      return queuePut(record).then(function () {
        if (!navigator.onLine) { show(text.savedOffline, "warning"); return updateQueueState(); }
        show(text.sending, "info");
        return flush();
      });
    });
  }

  buttons.forEach(function (button) {
    button.addEventListener("click", function () { checkIn(button.dataset.kind); });
  });

  if (navigator.mediaDevices && navigator.mediaDevices.getUserMedia) {
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "user", width: { ideal: 640 } }, audio: false })
      .then(function (stream) {
        video.srcObject = stream;
        video.addEventListener("loadedmetadata", function () {
          cameraReady = true;
          document.getElementById("camera-state").textContent = text.cameraReady;
          buttons.forEach(function (b) { b.disabled = false; });
        });
      })
      .catch(function () { document.getElementById("camera-state").textContent = text.noCamera; });
  } else {
    document.getElementById("camera-state").textContent = text.noCamera;
  }

  if (navigator.geolocation) {
    navigator.geolocation.watchPosition(function (pos) {
      position = pos;
      document.getElementById("gps-state").textContent = text.gpsReady + " " + Math.round(pos.coords.accuracy) + " m";
    }, function () {
      document.getElementById("gps-state").textContent = text.noGps;
    }, { enableHighAccuracy: true, maximumAge: 10000, timeout: 30000 });
  }

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(app.dataset.sw, { scope: app.dataset.scope }).catch(function () {});
  }
  window.addEventListener("online", flush);
  setInterval(function () { if (navigator.onLine) { flush(); } }, 30000);
  updateQueueState().then(function () { if (navigator.onLine) { flush(); } });
})();
