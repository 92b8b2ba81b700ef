// Desa picker of the complaint form, progressive enhancement: the server renders every desa/kelurahan of
// the kabupaten grouped by kecamatan (works without JavaScript). With JavaScript the same select becomes a
// two-step picker — kecamatan first, then its desa — from the public regions API, which is shorter to
// scroll on a phone. If the API cannot be reached the server's list stays as it was.
(function () {
  "use strict";
  var desa = document.getElementById("id_region_code");
  if (!desa || !desa.dataset.regionsApi || !window.fetch) { return; }
  var data = desa.dataset;
  var original = desa.innerHTML;
  var chosen = desa.value;

  function list(params) {
    var query = new URLSearchParams(params);
    query.set("page_size", "200");
    var rows = [];
    function page(url) {
      return fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) { throw new Error("regions API " + response.status); }
          return response.json();
        })
        .then(function (body) {
          rows = rows.concat(body.results || []);
          // Follow the API's own next link, but only on this origin.
          if (body.next && new URL(body.next, window.location.href).origin === window.location.origin) {
            return page(body.next);
          }
          return rows;
        });
    }
    return page(data.regionsApi + "?" + query.toString());
  }

  function fill(select, rows, placeholder, selected) {
    select.textContent = "";
    select.appendChild(new Option(placeholder, ""));
    rows.forEach(function (row) {
      select.appendChild(new Option(row.name, row.code, false, row.code === selected));
    });
  }

  function restore() {
    desa.innerHTML = original;
    desa.value = chosen;
    desa.disabled = false;
  }

  list({ parent: data.regionsParent, level: "3" }).then(function (kecamatan) {
    if (!kecamatan.length) { return; }
    var wrap = document.createElement("div");
    wrap.className = "mb-3";
    var label = document.createElement("label");
    label.className = "form-label fw-semibold";
    label.htmlFor = "id_kecamatan";
    label.textContent = data.labelKecamatan;
    // No name: the kecamatan only narrows the list; the form still sends the desa code alone.
    var kec = document.createElement("select");
    kec.id = "id_kecamatan";
    kec.className = "form-select";
    fill(kec, kecamatan, data.placeholderKecamatan, chosen ? chosen.slice(0, 8) : "");
    wrap.appendChild(label);
    wrap.appendChild(kec);
    var field = desa.closest(".mb-3") || desa.parentNode;
    field.parentNode.insertBefore(wrap, field);

    function load() {
      if (!kec.value) {
        fill(desa, [], data.placeholderFirst, "");
        return;
      }
      desa.disabled = true;
      list({ parent: kec.value, level: "4" }).then(function (villages) {
        fill(desa, villages, data.placeholderDesa, chosen);
        desa.disabled = false;
        desa.dispatchEvent(new Event("change", { bubbles: true }));
      }).catch(restore);
    }
    kec.addEventListener("change", function () { chosen = ""; load(); });
    load();
  }).catch(function () { /* keep the server-rendered list */ });
})();
