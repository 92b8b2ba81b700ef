/* Layan offline queue, shared by the pages that must work without signal (the attendance check-in, the
   aid handover in the field). A record made offline is kept in IndexedDB under its client UUID, with the
   device's time, and sent in device-time order when the signal returns. The server recognises a re-sent
   UUID, so a record whose answer was lost and is sent again is still stored once.

   Several officers may share one phone: every record keeps the id of the account that made it (``owner``,
   from the page's ``data-user``), and only the records of the account signed in now are sent. Another
   account's records stay on the phone, untouched, until their owner signs in again (never sent under
   someone else's login, where they would be recorded with the wrong officer or refused and lost).

   var queue = LayanOfflineQueue.create({
     dbName: "layan-presensi", store: "queue",            // IndexedDB names (keyPath "client_uuid")
     owner: app.dataset.user,                              // the account signed in on this page
     send: function (record) { return fetch(...); },       // -> Promise<Response>
     onAnswer: function (record, response, body) {},       // the server decided: the record leaves the queue
     onKeep: function (record, response, body) {},        // no signal, 401/403 or 5xx: kept, tried later
     onChange: function (items, others) {}                 // after every change: this account's records,
                                                           // and those waiting for their owner to sign in
   });
   queue.put(record).then(...); queue.flush(); queue.start(30000); */
(function () {
  "use strict";

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

  // The CSRF cookie when there is one (fresh after a login), else the token the page was rendered with.
  function csrfToken(fallback) {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) { return decodeURIComponent(match[1]); }
    var meta = document.querySelector('meta[name="csrf-token"]');
    return fallback || (meta ? meta.getAttribute("content") : "");
  }

  function Queue(options) {
    this.dbName = options.dbName;
    this.store = options.store || "queue";
    this.owner = options.owner === undefined || options.owner === null ? "" : String(options.owner);
    this.send = options.send;
    this.onAnswer = options.onAnswer || function () {};
    this.onKeep = options.onKeep || function () {};
    this.onChange = options.onChange || function () {};
    this.flushing = false;
    this.again = false;
  }

  Queue.prototype.open = function () {
    var self = this;
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open(self.dbName, 1);
      request.onupgradeneeded = function () { request.result.createObjectStore(self.store, { keyPath: "client_uuid" }); };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  };

  Queue.prototype.withStore = function (mode, action) {
    var self = this;
    return this.open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(self.store, mode);
        var request = action(tx.objectStore(self.store));
        tx.oncomplete = function () { db.close(); resolve(request ? request.result : undefined); };
        tx.onerror = function () { db.close(); reject(tx.error); };
      });
    });
  };

  // A record is the signed-in account's; one kept from before owners were recorded belongs to nobody and waits.
  Queue.prototype.mine = function (record) {
    return this.owner !== "" && String(record.owner === undefined || record.owner === null ? "" : record.owner) === this.owner;
  };

  Queue.prototype.put = function (record) {
    if (record.owner === undefined) { record.owner = this.owner; }
    return this.withStore("readwrite", function (s) { return s.put(record); });
  };
  Queue.prototype.all = function () { return this.withStore("readonly", function (s) { return s.getAll(); }); };
  Queue.prototype.remove = function (id) { return this.withStore("readwrite", function (s) { return s.delete(id); }); };

  // Tell the page what is waiting (the pending count, which rows are still on the phone): this account's
  // records, and apart the other accounts' records waiting for their owner.
  Queue.prototype.refresh = function () {
    var self = this;
    return this.all().then(function (items) {
      var mine = items.filter(function (item) { return self.mine(item); });
      var others = items.filter(function (item) { return !self.mine(item); });
      self.onChange(mine, others);
      return mine;
    });
  };

  // Send this account's records, oldest device time first; stop at the first record the server could not take
  // now (no signal, logged out, server error) so the order is kept for the next try. Other accounts' records
  // are left as they are.
  Queue.prototype.flush = function () {
    var self = this;
    if (this.flushing) { this.again = true; return Promise.resolve(); }
    this.flushing = true;
    return this.all().then(function (items) {
      items = items.filter(function (item) { return self.mine(item); });
      items.sort(function (a, b) { return a.device_time < b.device_time ? -1 : 1; });
      var chain = Promise.resolve(true);
      items.forEach(function (record) {
        chain = chain.then(function (goOn) {
          if (!goOn) { return false; }
          return self.send(record).then(function (response) {
            return response.json().catch(function () { return {}; }).then(function (body) {
              if (response.status >= 500 || response.status === 401 || response.status === 403) {
                self.onKeep(record, response, body);
                return false; // keep it; try again later
              }
              self.onAnswer(record, response, body);
              return self.remove(record.client_uuid).then(function () { return true; });
            });
          }, function () { self.onKeep(record, null, null); return false; });
        });
      });
      return chain;
    }).then(function () { return self.refresh(); }).finally(function () {
      self.flushing = false;
      if (self.again) { self.again = false; if (navigator.onLine) { self.flush(); } }
    });
  };

  // Send when the signal returns, every ``interval`` ms while online, and once now.
  Queue.prototype.start = function (interval) {
    var self = this;
    window.addEventListener("online", function () { self.flush(); });
    setInterval(function () { if (navigator.onLine) { self.flush(); } }, interval || 30000);
    return this.refresh().then(function () { if (navigator.onLine) { return self.flush(); } });
  };

  window.LayanOfflineQueue = {
    create: function (options) { return new Queue(options); },
    uuid4: uuid4,
    deviceId: deviceId,
    csrfToken: csrfToken
  };
})();
