/* Layan bansos, field handover (works without signal): the recipients of a legalised list, or the ASN
   Peduli packages aimed at families, are part of the page, which the service worker keeps on the phone; a
   handover (photo or short video, GPS, the phone's time, confirmation) goes into the shared IndexedDB queue
   (layan/offline-queue.js) under a client UUID and is sent when there is signal. The server keeps the
   device time and recognises a re-sent UUID. The page names what a row is (data-target: "enrolment" or
   "package"), the field it is sent as, and its queue. */
(function () {
  "use strict";
  var app = document.getElementById("handover-app");
  if (!app) { return; }
  var text = document.getElementById("handover-messages").dataset;
  var form = document.getElementById("handover-form");
  var result = document.getElementById("handover-result");
  var queueState = document.getElementById("handover-queue");
  var doneCount = document.getElementById("handover-done");
  var target = app.dataset.target || "enrolment";
  var maxVideo = parseInt(app.dataset.maxVideo || "0", 10);
  var maxVideoSeconds = parseInt(app.dataset.maxVideoSeconds || "0", 10);
  var BADGES = {
    open: "text-bg-light", pending: "text-bg-warning", sent: "text-bg-success", done: "text-bg-success",
    failed: "text-bg-danger", owner: "text-bg-secondary"
  };
  var capture = null; // the phone's time and position when the photo or video was chosen

  function show(message, kind) {
    result.className = "alert alert-" + (kind || "info");
    result.textContent = message;
  }

  function rowOf(id) { return document.querySelector('.recipient[data-target="' + id + '"]'); }

  function mark(id, state, label) {
    var row = rowOf(id);
    if (!row) { return; }
    var badge = row.querySelector(".recipient-state");
    badge.dataset.state = state;
    badge.textContent = label;
    badge.className = "badge recipient-state text-wrap text-start " + BADGES[state];
    var button = row.querySelector(".record-button");
    if (button) { button.classList.toggle("d-none", state !== "open" && state !== "failed"); }
  }

  function send(record) {
    var data = new FormData();
    ["client_uuid", target, "device_time", "latitude", "longitude", "amount", "goods", "receiver_name",
      "confirmed_by_recipient", "note", "consent_public"].forEach(function (key) {
      var value = record[key];
      if (value !== null && value !== undefined && value !== "") { data.append(key, value); }
    });
    if (record.photo) { data.append("photo", record.photo, record.photo_name || "foto.jpg"); }
    if (record.video) { data.append("video", record.video, record.video_name || "video.mp4"); }
    return fetch(app.dataset.api, {
      method: "POST", body: data, credentials: "same-origin",
      headers: { "X-CSRFToken": LayanOfflineQueue.csrfToken(app.dataset.csrf), "Accept": "application/json" }
    });
  }

  var queue = LayanOfflineQueue.create({
    dbName: app.dataset.queue || "layan-penyerahan",
    store: "queue",
    owner: app.dataset.user,
    send: send,
    onAnswer: function (record, response, body) {
      var message = (body && body.message) || response.statusText;
      // A refused field (the form is closed by now): its own message says what to fix.
      if (body && body.fields) {
        var names = Object.keys(body.fields);
        if (names.length && body.fields[names[0]].length) { message = body.fields[names[0]][0]; }
      }
      if (response.ok) {
        mark(record[target], "sent", text.stateSent);
        show(text.sent + ": " + record.label + ".", "success");
        if (response.status === 201 && doneCount) {
          doneCount.dataset.count = String(parseInt(doneCount.dataset.count || "0", 10) + 1);
          doneCount.textContent = doneCount.dataset.count;
        }
      } else if (response.status === 409) {
        mark(record[target], "done", text.stateDone);
        show(record.label + ": " + message, "warning");
      } else {
        mark(record[target], "failed", text.stateFailed);
        show(record.label + ": " + message, "danger");
      }
    },
    onKeep: function (record, response, body) { show((body && body.message) || text.savedOffline, "warning"); },
    onChange: function (items, others) {
      queueState.dataset.count = String(items.length);
      queueState.dataset.others = String(others.length);
      queueState.textContent = (items.length ? items.length + " " + queueState.dataset.pending : queueState.dataset.empty) +
        (others.length ? " " + others.length + " " + queueState.dataset.otherOwner : "");
      // Recorded by another account on this phone: waits for that officer to sign in again.
      others.forEach(function (item) { mark(item[target], "owner", text.stateOtherOwner); });
      items.forEach(function (item) { mark(item[target], "pending", text.statePending); });
    }
  });

  // --- the form, opened under the chosen recipient ----------------------------------------------------
  if (form) {
    var gps = document.getElementById("handover-gps");
    var photo = form.querySelector("[name=photo]");
    var video = form.querySelector("[name=video]");

    document.getElementById("recipient-list").addEventListener("click", function (event) {
      var button = event.target.closest(".record-button");
      if (!button) { return; }
      var row = button.closest(".recipient");
      form.reset();
      capture = null;
      form.elements[target].value = row.dataset.target;
      document.getElementById("handover-for").textContent = row.querySelector(".recipient-name").textContent;
      row.appendChild(form);
      form.classList.remove("d-none");
      photo.focus();
    });

    document.getElementById("handover-cancel").addEventListener("click", function () {
      form.classList.add("d-none");
    });

    function captured() {
      capture = { time: new Date().toISOString(), latitude: null, longitude: null };
      if (!navigator.geolocation) { return; }
      var mine = capture;
      navigator.geolocation.getCurrentPosition(function (pos) {
        mine.latitude = pos.coords.latitude.toFixed(6);
        mine.longitude = pos.coords.longitude.toFixed(6);
        gps.textContent = pos.coords.latitude.toFixed(5) + ", " + pos.coords.longitude.toFixed(5);
      }, function () {}, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
    }
    photo.addEventListener("change", captured);
    video.addEventListener("change", captured);
    // A long video would only be refused when the phone finds signal, after the officer has left: say so now.
    video.addEventListener("change", function () {
      if (!video.files[0] || !maxVideoSeconds) { return; }
      LayanVideo.seconds(video.files[0], function (seconds) {
        if (seconds !== null && seconds > maxVideoSeconds) {
          video.value = "";
          show(text.videoTooLong, "danger");
        }
      });
    });

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      // Checked here, before it waits for signal: a refusal after the officer has left loses the handover.
      if (!form.reportValidity()) { return; }
      var photoFile = photo.files[0] || null;
      var videoFile = video.files[0] || null;
      if (!photoFile && !videoFile) { show(text.needEvidence, "danger"); return; }
      if (videoFile && maxVideo && videoFile.size > maxVideo) { show(text.videoTooLarge, "danger"); return; }
      var chosen = form.elements[target].value;
      // The fields this page's form has (a package has no amount; a list's recipient gives no consent).
      function field(name) { return form.elements[name] ? form.elements[name].value : ""; }
      function ticked(name) { return form.elements[name] ? (form.elements[name].checked ? "true" : "false") : ""; }
      var record = {
        client_uuid: LayanOfflineQueue.uuid4(),
        device_time: capture ? capture.time : new Date().toISOString(),
        latitude: capture ? capture.latitude : null,
        longitude: capture ? capture.longitude : null,
        amount: field("amount"),
        goods: field("goods"),
        receiver_name: field("receiver_name"),
        confirmed_by_recipient: ticked("confirmed_by_recipient"),
        note: field("note"),
        consent_public: ticked("consent_public"),
        photo: photoFile, photo_name: photoFile ? photoFile.name : "",
        video: videoFile, video_name: videoFile ? videoFile.name : "",
        label: document.getElementById("handover-for").textContent
      };
      record[target] = chosen;
      queue.put(record).then(function () {
        form.classList.add("d-none");
        mark(chosen, "pending", text.statePending);
        if (!navigator.onLine) { show(text.savedOffline, "warning"); return queue.refresh(); }
        show(text.sending, "info");
        return queue.flush();
      });
    });
  }

  document.getElementById("handover-filter").addEventListener("input", function (event) {
    var needle = event.target.value.trim().toLowerCase();
    document.querySelectorAll(".recipient").forEach(function (row) {
      row.classList.toggle("d-none", needle !== "" && row.dataset.name.indexOf(needle) === -1);
    });
  });

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(app.dataset.sw, { scope: app.dataset.scope }).catch(function () {});
  }
  queue.start(30000);
})();
