/* Layan presensi (PWA): live camera selfie (getUserMedia only, no gallery), GPS position, and the shared
   IndexedDB queue (layan/offline-queue.js) so a check-in made without signal is kept with its device time
   and client UUID and sent once the signal returns. The server decides everything; a re-send of the same
   UUID never makes a second record. */
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

  // The IndexedDB queue and its sending are shared with the aid handover page (layan/offline-queue.js).
  var queue = LayanOfflineQueue.create({
    dbName: DB_NAME,
    store: STORE,
    owner: app.dataset.user,
    send: send,
    onAnswer: function (record, response, body) {
      var shown = describe(response, body);
      show(shown[0], shown[1]);
    },
    onKeep: function (record, response, body) { show((body && body.message) || text.savedOffline, "warning"); },
    onChange: function (items, others) {
      // Another account's check-ins on this phone wait for their owner to sign in again (never sent as ours).
      queueState.textContent = (items.length ? items.length + " " + queueState.dataset.pending : queueState.dataset.empty) +
        (others.length ? " " + others.length + " " + queueState.dataset.otherOwner : "");
      queueState.dataset.count = String(items.length);
      queueState.dataset.others = String(others.length);
    }
  });

  function show(message, kind) {
    result.className = "alert alert-" + (kind || "info");
    result.textContent = message;
  }

  // --- sending -----------------------------------------------------------------------------------
  function send(record) {
    var form = new FormData();
    ["client_uuid", "kind", "device_time", "latitude", "longitude", "accuracy_m", "fix_age_s", "mock_location",
      "device_id"].forEach(function (key) { form.append(key, record[key]); });
    form.append("selfie", record.selfie, "selfie.jpg");
    return fetch(app.dataset.api, {
      method: "POST", body: form, credentials: "same-origin",
      headers: { "X-CSRFToken": LayanOfflineQueue.csrfToken(app.dataset.csrf), "Accept": "application/json" }
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
    // This page has no fields to mark: the reasons given per field (outside the check-in window, a stale
    // GPS fix...) are what the employee must read.
    var reasons = [];
    Object.keys((body && body.fields) || {}).forEach(function (name) {
      reasons = reasons.concat(body.fields[name]);
    });
    return [reasons.join(" ") || (body && body.message) || response.statusText, "danger"];
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
        client_uuid: LayanOfflineQueue.uuid4(), kind: kind, device_time: new Date(now).toISOString(),
        latitude: position.coords.latitude.toFixed(6), longitude: position.coords.longitude.toFixed(6),
        accuracy_m: Math.round(position.coords.accuracy || 0),
        fix_age_s: Math.max(0, Math.round((now - position.timestamp) / 1000)),
        mock_location: "false", device_id: LayanOfflineQueue.deviceId(), selfie: blob
      };
      return queue.put(record).then(function () {
        if (!navigator.onLine) { show(text.savedOffline, "warning"); return queue.refresh(); }
        show(text.sending, "info");
        return queue.flush();
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
  queue.start(30000);
})();
