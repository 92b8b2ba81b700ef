/* Layan presensi service worker: keeps the check-in page and its assets available without signal.
   Check-ins themselves are queued in IndexedDB by checkin.js (never by the cache), with the device time. */
const CACHE = "layan-presensi-v3"; // v3: queued records carry their account (offline-queue.js)
const SHELL = [
  "/presensi/",
  "/static/layan/offline-queue.js",
  "/static/attendance/checkin.js",
  "/static/attendance/attendance.css",
  "/static/vendor/bootstrap/dist/css/bootstrap.min.css",
  "/static/layan/layan.css",
];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    // Only this worker's old caches: other pages (the aid handover) keep theirs under the same origin.
    caches.keys().then((keys) => Promise.all(
      keys.filter((k) => k.startsWith("layan-presensi-") && k !== CACHE).map((k) => caches.delete(k))
    ))
      .then(() => self.clients.claim())
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return; // POSTs go to the network; the page queues them when offline
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith("/api/")) return;
  if (request.mode === "navigate") {
    // Network first (fresh CSRF token and today's status), the cached page when offline.
    event.respondWith(
      fetch(request).then((response) => {
        if (response.ok && url.pathname === "/presensi/") {
          const copy = response.clone();
          caches.open(CACHE).then((cache) => cache.put("/presensi/", copy));
        }
        return response;
      }).catch(() => caches.match("/presensi/"))
    );
    return;
  }
  if (url.pathname.startsWith("/static/")) {
    event.respondWith(caches.match(request).then((hit) => hit || fetch(request)));
  }
});
