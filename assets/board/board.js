// The dispatcher's board: solving with a progress bar, manual edits checked at
// once with their violations in words, route locks. Talks to /api/v1 with the
// session cookie (JSON bodies, which cross-site forms cannot send). Texts come
// from the page's #board-texts block: no word is written here.
(function () {
  "use strict";

  function json(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }
  var data = json("board-data");
  var texts = json("board-texts") || {};
  if (!data) return;

  function msg(key, vars) {
    var s = texts["board.js." + key] || key;
    Object.keys(vars || {}).forEach(function (k) {
      s = s.split("{" + k + "}").join(String(vars[k]));
    });
    return s;
  }
  function $(id) { return document.getElementById(id); }
  function hm(minutes) {
    var m = Math.round(minutes);
    var mm = m % 60;
    return Math.floor(m / 60) + ":" + (mm < 10 ? "0" : "") + mm;
  }

  var base = "/api/v1/plans/" + data.date;
  var message = $("board-message");

  function say(text) {
    message.textContent = text;
    message.hidden = !text;
  }

  // fetch JSON; resolves to {status, body}, never throws on an HTTP error.
  function call(method, path, body) {
    var opts = { method: method, credentials: "same-origin", headers: { "accept": "application/json" } };
    if (body !== undefined) {
      opts.headers["content-type"] = "application/json";
      opts.body = JSON.stringify(body);
    }
    return fetch(path, opts).then(function (res) {
      return res.text().then(function (t) {
        var parsed = null;
        try { parsed = t ? JSON.parse(t) : null; } catch (e) { parsed = null; }
        return { status: res.status, body: parsed };
      });
    }, function () {
      say(msg("offline"));
      return { status: 0, body: null };
    });
  }

  function failed(r) {
    if (r.status === 409) say(msg("conflict"));
    else if (r.status !== 0) say(msg("error", { message: (r.body && r.body.message) || r.status }));
  }

  // ---- Solving ------------------------------------------------------------
  var solveButton = $("solve-button");
  var progress = $("solve-progress");
  var progressText = $("solve-text");
  var box = $("solve-box");
  var polling = null;

  function showProgress(s) {
    box.hidden = false;
    progress.max = s.time_limit_s;
    progress.value = Math.min(s.elapsed_s, s.time_limit_s);
    progress.dataset.running = String(s.status === "running");
    progressText.textContent = msg("solving", {
      elapsed: s.elapsed_s.toFixed(1),
      limit: s.time_limit_s.toFixed(0),
      iterations: s.iterations,
      cost: s.best_cost == null ? "—" : s.best_cost.toFixed(1)
    });
  }

  function running(on) {
    solveButton.disabled = on;
    $("cancel-form").hidden = !on;
    document.body.classList.toggle("solving", on);
  }

  function poll() {
    call("GET", base + "/solve").then(function (r) {
      if (r.status !== 200) { failed(r); stopPolling(); running(false); return; }
      var s = r.body;
      if (s.status === "running") { showProgress(s); return; }
      stopPolling();
      progress.value = progress.max;
      progress.dataset.running = "false";
      if (s.status === "failed") {
        running(false);
        progressText.textContent = msg("solve_failed", { error: s.error || "" });
        return;
      }
      progressText.textContent = msg("solve_done");
      window.location.reload();
    });
  }

  function startPolling() {
    running(true);
    if (!polling) polling = window.setInterval(poll, 400);
    poll();
  }
  function stopPolling() {
    if (polling) window.clearInterval(polling);
    polling = null;
  }

  // The forms post "Risolvi" and "Interrompi"; the page they come back to
  // follows a running solve here and reloads when it ends.
  if (data.solving) startPolling();

  // ---- Manual edits -------------------------------------------------------
  var panel = $("edit-panel");
  if (!panel) return;
  var result = $("edit-result");
  var list = $("edit-violations");
  var current = null; // {request, assign, opener}
  var pending = null; // the edit waiting for "Salva comunque"
  var version = data.version;

  function openPanel(btn) {
    var assign = btn.dataset.assign === "true";
    current = { request: Number(btn.dataset.requestId), assign: assign, opener: btn };
    $("edit-title").textContent = msg(assign ? "assign_for" : "edit_for", { who: btn.dataset.who });
    $("edit-who").textContent = "";
    $("edit-swap-group").hidden = assign;
    $("edit-unassign").hidden = assign;
    if (btn.dataset.routeId) $("edit-route").value = btn.dataset.routeId;
    $("edit-pickup").value = "";
    $("edit-dropoff").value = "";
    panel.hidden = false;
    panel.focus();
  }
  function closePanel() {
    panel.hidden = true;
    if (current && current.opener) current.opener.focus();
  }

  Array.prototype.forEach.call(document.querySelectorAll(".edit-open"), function (btn) {
    btn.addEventListener("click", function () { openPanel(btn); });
  });
  $("edit-close").addEventListener("click", closePanel);
  panel.addEventListener("keydown", function (e) {
    if (e.key === "Escape") closePanel();
  });

  // Forgets the checked edit's notes; those of the saved plan stay.
  function clearViolations() {
    list.textContent = "";
    Array.prototype.forEach.call(document.querySelectorAll("tr.violation-row[id^='violation-new-']"), function (row) {
      row.parentNode.removeChild(row);
    });
    Array.prototype.forEach.call(document.querySelectorAll("tr.violated[aria-describedby^='violation-new-']"), function (row) {
      row.classList.remove("violated");
      row.removeAttribute("aria-describedby");
    });
    result.hidden = true;
  }

  function amount(kind, v) {
    if (v == null) return "";
    if (kind === "time_window" || kind === "shift_end" || kind === "link" || kind === "schedule") return hm(v);
    return String(Math.round(v));
  }

  function violationText(v) {
    var key = texts["board.js.violation." + v.kind] ? v.kind : "other";
    var role = (v.stop || "").split("-")[1];
    return msg("violation." + key, {
      who: (v.request_id != null && data.who[String(v.request_id)]) || "",
      value: amount(v.kind, v.value),
      limit: amount(v.kind, v.limit),
      dim: v.dimension || "",
      stop: role ? msg("violation." + role) : "",
      detail: v.message || ""
    });
  }

  // Each violation in words: in the list, and beside the stop it concerns
  // (its table is unfolded so the dispatcher sees it).
  function annotate(violations, into) {
    violations.forEach(function (v, i) {
      if (!v || typeof v !== "object") return;
      var text = violationText(v);
      if (into) {
        var li = document.createElement("li");
        li.textContent = text;
        li.dataset.kind = v.kind;
        into.appendChild(li);
      }
      var row = v.stop && $("stop-" + v.stop);
      if (row) {
        var note = document.createElement("tr");
        note.className = "violation-row";
        note.id = "violation-" + (into ? "new-" : "saved-") + i;
        note.dataset.testid = "violation";
        var cell = document.createElement("td");
        cell.colSpan = row.children.length;
        cell.textContent = "⚠ " + text;
        note.appendChild(cell);
        row.parentNode.insertBefore(note, row.nextSibling);
        row.classList.add("violated");
        row.setAttribute("aria-describedby", note.id);
        var details = row.closest("details");
        if (details) details.open = true;
      }
    });
  }

  function showViolations(violations) {
    clearViolations();
    annotate(violations, list);
    result.hidden = false;
    result.focus();
  }

  function send(edit, confirm) {
    say("");
    if (confirm !== true) clearViolations();
    pending = edit;
    call("POST", base + "/edits", { version: version, revision: data.revision, edit: edit, confirm: confirm === true }).then(function (r) {
      if (r.status !== 200) { failed(r); return; }
      var body = r.body || {};
      if (body.saved) {
        say("");
        window.location.reload();
        return;
      }
      showViolations(body.violations || []);
    });
  }

  // Positions as the dispatcher counts them (1 = first stop); blank: where it fits best.
  function position(id) {
    var v = $(id).value.trim();
    if (!v) return null;
    var n = Math.floor(Number(v));
    return n >= 1 ? n - 1 : null;
  }

  $("edit-move").addEventListener("click", function () {
    if (!current) return;
    var pickup = position("edit-pickup");
    var dropoff = position("edit-dropoff");
    if (pickup !== null && dropoff === null) dropoff = pickup + 1;
    if (pickup === null) dropoff = null;
    var edit = {
      op: current.assign ? "assign" : "move",
      request_id: current.request,
      route_id: Number($("edit-route").value)
    };
    if (pickup !== null) { edit.pickup = pickup; edit.dropoff = Math.max(dropoff, pickup + 1); }
    closePanel();
    send(edit);
  });
  $("edit-swap").addEventListener("click", function () {
    if (!current) return;
    closePanel();
    send({ op: "swap", request_id: current.request, other_request_id: Number($("edit-swap-with").value) });
  });
  $("edit-unassign").addEventListener("click", function () {
    if (!current) return;
    closePanel();
    send({ op: "unassign", request_id: current.request });
  });
  $("edit-confirm").addEventListener("click", function () {
    if (pending) send(pending, true);
  });
  $("edit-discard").addEventListener("click", function () {
    pending = null;
    clearViolations();
  });

  // A plan saved despite its violations shows them where they happen.
  if (Array.isArray(data.violations)) annotate(data.violations, $("plan-violations"));

  Array.prototype.forEach.call(document.querySelectorAll("button.lock"), function (btn) {
    btn.addEventListener("click", function () {
      var locked = btn.getAttribute("aria-pressed") === "true";
      send({ op: locked ? "unlock" : "lock", route_id: Number(btn.dataset.routeId) });
    });
  });
})();
