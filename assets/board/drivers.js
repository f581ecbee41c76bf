// Drivers' personal links: create (shown once, with its QR code to print) and
// revoke, through the API with the session cookie. Texts from #drivers-texts.
(function () {
  "use strict";
  var texts = JSON.parse(document.getElementById("drivers-texts").textContent);
  var message = document.getElementById("drivers-message");
  function msg(key) { return texts["board.drivers_js." + key] || key; }
  function $(id) { return document.getElementById(id); }

  function json(method, path, body) {
    var opts = { method: method, credentials: "same-origin", headers: { "accept": "application/json" } };
    if (body !== undefined) {
      opts.headers["content-type"] = "application/json";
      opts.body = JSON.stringify(body);
    }
    return fetch(path, opts);
  }
  function fail(res) {
    return res.json().then(function (b) { message.textContent = msg("error") + " " + (b.message || res.status); },
      function () { message.textContent = msg("error") + " " + res.status; });
  }

  function each(selector, fn) {
    Array.prototype.forEach.call(document.querySelectorAll(selector), fn);
  }

  each("button.link-create", function (btn) {
    btn.addEventListener("click", function () {
      var id = btn.dataset.userId;
      message.textContent = "";
      json("POST", "/api/v1/users/" + id + "/link").then(function (res) {
        if (!res.ok) return fail(res);
        return res.json().then(function (b) {
          var link = window.location.origin + b.path;
          $("link-url-" + id).value = link;
          $("link-result-" + id).hidden = false;
          message.textContent = msg("created");
          return json("POST", "/board/drivers/qr", { link: link }).then(function (qr) {
            if (!qr.ok) return fail(qr);
            return qr.text().then(function (svg) { $("link-qr-" + id).innerHTML = svg; });
          });
        });
      }, function () { message.textContent = msg("offline"); });
    });
  });

  each("button.link-revoke", function (btn) {
    btn.addEventListener("click", function () {
      var id = btn.dataset.userId;
      message.textContent = "";
      json("DELETE", "/api/v1/users/" + id + "/link").then(function (res) {
        if (!res.ok && res.status !== 404) return fail(res);
        $("link-result-" + id).hidden = true;
        $("link-url-" + id).value = "";
        $("link-qr-" + id).textContent = "";
        message.textContent = msg("revoked");
      }, function () { message.textContent = msg("offline"); });
    });
  });

  function setPin(id, pin) {
    message.textContent = "";
    json("PUT", "/api/v1/users/" + id + "/pin", { pin: pin }).then(function (res) {
      if (!res.ok) return fail(res);
      $("pin-" + id).value = "";
      message.textContent = msg(pin === null ? "pin_cleared" : "pin_saved");
    }, function () { message.textContent = msg("offline"); });
  }
  each("form.pin-form", function (form) {
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var id = form.dataset.userId;
      setPin(id, $("pin-" + id).value.trim());
    });
  });
  each("button.pin-clear", function (btn) {
    btn.addEventListener("click", function () { setPin(btn.dataset.userId, null); });
  });

  each("button.link-print", function (btn) {
    btn.addEventListener("click", function () {
      each(".driver", function (li) { li.classList.remove("print-me"); });
      $("driver-" + btn.dataset.userId).classList.add("print-me");
      document.body.classList.add("printing-one");
      window.print();
    });
  });
  window.addEventListener("afterprint", function () { document.body.classList.remove("printing-one"); });
})();
