/* Layan shell behaviour. Loaded on every page; no inline scripts anywhere (CSP script-src 'self'). */
(function () {
  "use strict";

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  // Every htmx request carries the CSRF token from the <meta> tag (Django's X-CSRFToken header).
  document.addEventListener("htmx:configRequest", function (event) {
    var token = csrfToken();
    if (token) {
      event.detail.headers["X-CSRFToken"] = token;
    }
  });

  // How long a chosen video lasts, as its header says (null when the browser cannot tell): the handover
  // forms refuse a video the server would refuse, before a long upload on a weak signal.
  window.LayanVideo = {
    seconds: function (file, done) {
      var probe = document.createElement("video");
      var url = URL.createObjectURL(file);
      probe.preload = "metadata";
      probe.onloadedmetadata = function () {
        URL.revokeObjectURL(url);
        done(isFinite(probe.duration) ? probe.duration : null);
      };
      probe.onerror = function () { URL.revokeObjectURL(url); done(null); };
      probe.src = url;
    }
  };

  // Confirmation for destructive forms: <form data-confirm="...">.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form && form.dataset && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
    }
  });

  // Signing out of a shared office or village phone forgets the pages kept for offline use (a handover
  // list holds recipients' names): Clear-Site-Data "cache" does not empty Cache Storage in Chromium. The
  // static assets stay, and so does the IndexedDB queue (its records wait for the account that made them).
  function forgetKeptPages() {
    if (!window.caches) { return Promise.resolve(); }
    return caches.keys().then(function (names) {
      return Promise.all(names.map(function (name) {
        return caches.open(name).then(function (cache) {
          return cache.keys().then(function (requests) {
            return Promise.all(requests.filter(function (request) {
              return new URL(request.url).pathname.indexOf("/static/") !== 0;
            }).map(function (request) { return cache.delete(request); }));
          });
        });
      }));
    }).catch(function () {});
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form || event.defaultPrevented || form.dataset.keptPagesForgotten) { return; }
    if (!/\/akun\/keluar\/$/.test(form.getAttribute("action") || "")) { return; }
    event.preventDefault();
    forgetKeptPages().then(function () {
      form.dataset.keptPagesForgotten = "1";
      form.submit();
    });
  });
})();
