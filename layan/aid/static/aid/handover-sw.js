/* Layan bansos service worker: keeps the field handover page of a legalised list (with its recipients), or
   of the ASN Peduli packages aimed at families, and its assets on the phone, so an officer can record
   handovers without signal. The handovers themselves are queued in IndexedDB by handover.js (never by
   this cache), with the device time. */
// v6: the video length check moved to layan.js; v5: rows wrap on a phone; v4: the ASN Peduli page;
// v3: a video's length; v2: queued records carry their account
const CACHE = "layan-serah-terima-v6";
const SHELL = [
  "/static/layan/offline-queue.js",
  "/static/aid/handover.js",
  "/static/aid/aid.css",
  "/static/layan/layan.js",
  "/static/layan/layan.css",
  "/static/vendor/bootstrap/dist/css/bootstrap.min.css",
  "/static/vendor/bootstrap/dist/js/bootstrap.bundle.min.js",
  "/static/vendor/htmx.org/dist/htmx.min.js",
];
// A round's field handover page, and the ASN Peduli packages' (registered from /bansos/asn-peduli/).
const HANDOVER_PAGE = /^\/bansos\/(putaran\/\d+|asn-peduli)\/serah-terima\/$/;

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys().then((keys) => Promise.all(
      keys.filter((k) => k.startsWith("layan-serah-terima-") && k !== CACHE).map((k) => caches.delete(k))
    )).then(() => self.clients.claim())
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return; // handovers go to the network; the page queues them when offline
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith("/api/")) return;
  if (request.mode === "navigate") {
    if (!HANDOVER_PAGE.test(url.pathname)) return; // other pages of the module are not kept
    // Network first (a fresh list, CSRF token and who already received), the kept copy when offline.
    event.respondWith(
      fetch(request).then((response) => {
        if (response.ok && !response.redirected) {
          const copy = response.clone();
          caches.open(CACHE).then((cache) => cache.put(url.pathname, copy));
        } else {
          // Signed out (sent to the login page) or not this account's list: the kept copy, with its
          // recipients' names, is no longer shown to whoever holds the phone.
          caches.open(CACHE).then((cache) => cache.delete(url.pathname));
        }
        return response;
      }).catch(() => caches.match(url.pathname))
    );
    return;
  }
  if (url.pathname.startsWith("/static/")) {
    event.respondWith(caches.match(request).then((hit) => hit || fetch(request)));
  }
});
