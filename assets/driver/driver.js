// giro driver page. The server paints the route first; this script repaints it
// from the newest copy of the day (the page's own, or /driver/day.json, which
// the service worker keeps for offline use), records each status tap in
// IndexedDB with the device time and its own event id, shows it at once, and
// sends the queue to POST /api/v1/events whenever there is signal. The server
// stores each id once, so sending again after a lost answer is harmless.
(() => {
  "use strict";
  const $ = (id) => document.getElementById(id);
  const T = JSON.parse($("driver-texts").textContent);
  const tr = (key, args) => {
    let s = T[key] || key;
    for (const [k, v] of Object.entries(args || {})) s = s.split("{" + k + "}").join(String(v));
    return s;
  };
  let day = JSON.parse($("driver-day").textContent);
  let events = [];
  const RETRY_MS = 30000;
  const TICK_MS = 5000;
  const SEND_TIMEOUT_MS = 15000;

  // ---- IndexedDB: one store of taps, each { id, user, date, stop, kind, at, kg?, state, error? }
  const dbReady = new Promise((resolve, reject) => {
    const req = indexedDB.open("giro-driver", 1);
    req.onupgradeneeded = () => req.result.createObjectStore("events", { keyPath: "id" });
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
  async function store(mode, fn) {
    const db = await dbReady;
    return new Promise((resolve, reject) => {
      const t = db.transaction("events", mode);
      const req = fn(t.objectStore("events"));
      t.oncomplete = () => resolve(req.result);
      t.onerror = () => reject(t.error);
    });
  }
  const saveEvent = (e) => store("readwrite", (s) => s.put(e));
  const dropEvent = (id) => store("readwrite", (s) => s.delete(id));

  function newId() {
    if (crypto.randomUUID) return crypto.randomUUID();
    const b = crypto.getRandomValues(new Uint8Array(16));
    return Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
  }
  const hhmm = (at) => new Date(at).toLocaleTimeString(document.documentElement.lang,
    { hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
  const mine = (e) => e.user === day.user_id;

  // ---- Drawing: the same markup as templates/driver/route.html
  function el(tag, attrs, ...kids) {
    const n = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v !== null && v !== undefined && v !== false) n.setAttribute(k, v === true ? "" : v);
    }
    for (const k of kids.flat()) if (k !== null && k !== undefined) n.append(k);
    return n;
  }
  const label = (key) => el("span", { class: "label" }, tr(key) + ":");

  function stopItem(s) {
    const k = s.key;
    const links = el("p", { class: "links" },
      s.tel ? el("a", { class: "button", href: s.tel, id: "call-" + k, "data-testid": "call-" + k },
        tr("driver.call"), s.phone ? [" ", el("span", { class: "phone" }, s.phone)] : null) : null,
      el("a", { class: "button", href: s.geo, id: "nav-" + k, "data-testid": "nav-" + k }, tr("driver.navigate")),
      el("a", { class: "button", href: s.osm, id: "osm-" + k, "data-testid": "osm-" + k,
        rel: "noopener noreferrer" }, tr("driver.map_web")));
    const state = el("p", { class: "state", id: "state-" + k, "data-testid": "state-" + k },
      label("driver.status"), " ", el("span", { class: "state-text" }, tr("driver.status_none")));
    let buttons = null;
    if (!s.cancelled) {
      buttons = el("div", { class: "buttons", role: "group",
        "aria-label": tr("driver.status") + ": " + s.time + " " + s.what });
      for (const b of s.buttons) {
        if (b.kg) {
          buttons.append(
            el("label", { for: "kg-" + k }, tr("driver.kg")),
            el("input", { id: "kg-" + k, "data-testid": "kg-" + k, type: "number", inputmode: "decimal",
              min: "0.1", max: "5000", step: "0.1", "aria-describedby": "kg-error-" + k }),
            el("p", { class: "field-error", id: "kg-error-" + k, hidden: true }, tr("driver.kg_invalid")));
        }
        buttons.append(el("button", { type: "button", class: "status", id: "status-" + b.kind + "-" + k,
          "data-testid": "status-" + b.kind + "-" + k, "data-kind": b.kind, "data-key": k,
          "data-kg": b.kg ? "1" : null }, b.label));
      }
    }
    return el("li", { class: "card stop" + (s.cancelled ? " cancelled" : ""), id: "stop-" + k,
      "data-testid": "stop-" + k, "data-key": k },
      el("h3", null, el("span", { class: "time" }, s.time), " " + s.what),
      el("p", { class: "place" }, el("strong", null, s.place), el("br"), s.address),
      s.who ? el("p", { class: "who" }, s.who) : null,
      s.load ? el("p", null, label("driver.load"), " " + s.load) : null,
      s.notes ? el("p", { class: "notes" }, label("driver.notes"), " " + s.notes) : null,
      s.cancelled ? el("p", { class: "alert" }, tr("driver.cancelled")) : null,
      links, state, buttons);
  }

  function render() {
    const root = $("driver-route");
    // Keep what the driver was typing and where the focus was.
    const typed = {};
    root.querySelectorAll("input[id]").forEach((i) => { typed[i.id] = i.value; });
    const focused = document.activeElement && root.contains(document.activeElement) ? document.activeElement.id : null;
    const parts = [];
    if (day.routes.length === 0) {
      parts.push(el("p", { class: "notice", id: "driver-nothing", "data-testid": "driver-nothing" }, tr("driver.nothing")));
    }
    day.routes.forEach((r, i) => {
      const id = "route-" + (i + 1);
      parts.push(el("section", { class: "route", "aria-labelledby": id },
        el("h2", { id }, r.vehicle),
        el("p", { class: "muted" }, tr("driver.shift", { start: r.start, end: r.end }) + " · " + r.layout),
        el("ol", { class: "stops" }, r.stops.map(stopItem))));
    });
    root.replaceChildren(...parts);
    for (const [id, v] of Object.entries(typed)) if ($(id)) $(id).value = v;
    if (focused && $(focused)) $(focused).focus();
    paint();
  }

  // ---- Statuses: the latest of the server's and this phone's, by device time
  function stops() {
    return day.routes.flatMap((r) => r.stops);
  }
  function buttonLabel(stop, kind) {
    const b = stop && stop.buttons.find((x) => x.kind === kind);
    return b ? b.label : kind;
  }

  function paint() {
    const byKey = new Map(stops().map((s) => [s.key, s]));
    for (const s of byKey.values()) {
      const node = $("state-" + s.key);
      if (!node) continue;
      let latest = s.state ? { kind: s.state.kind, at: s.state.at, state: "sent" } : null;
      for (const e of events) {
        if (mine(e) && e.stop === s.key && e.state !== "failed" && (!latest || e.at >= latest.at)) latest = e;
      }
      const text = node.querySelector(".state-text");
      if (!latest) {
        text.textContent = tr("driver.status_none");
        node.removeAttribute("data-kind");
        node.removeAttribute("data-pending");
      } else {
        const waiting = latest.state === "waiting";
        text.textContent = tr("driver.state_at", { status: buttonLabel(s, latest.kind), time: hhmm(latest.at) }) +
          " — " + tr(waiting ? "driver.queue_waiting" : "driver.queue_sent");
        node.setAttribute("data-kind", latest.kind);
        node.setAttribute("data-pending", waiting ? "1" : "0");
      }
      document.querySelectorAll('button.status[data-key="' + CSS.escape(s.key) + '"]').forEach((b) => {
        b.setAttribute("aria-pressed", latest && b.dataset.kind === latest.kind ? "true" : "false");
      });
    }
    paintQueue(byKey);
  }

  function paintQueue(byKey) {
    const open = events.filter((e) => mine(e) && e.state !== "sent").sort((a, b) => (a.at < b.at ? -1 : 1));
    const waiting = open.filter((e) => e.state === "waiting").length;
    const failed = open.length - waiting;
    const count = $("driver-queue-count");
    const parts = [waiting ? tr("driver.queue_count", { n: waiting }) : tr("driver.queue_empty")];
    if (failed) parts.push(tr("driver.queue_failed", { n: failed }));
    count.textContent = parts.join(" · ");
    count.dataset.count = String(waiting);
    count.dataset.failed = String(failed);
    $("driver-send-now").hidden = waiting === 0;
    $("driver-queue-list").replaceChildren(...open.map((e) => {
      const s = byKey.get(e.stop);
      const where = s ? s.time + " " + s.what + ", " + s.place : e.stop;
      const item = el("li", { "data-testid": "queue-item", "data-key": e.stop, "data-state": e.state, "data-id": e.id },
        hhmm(e.at) + " · " + buttonLabel(s, e.kind) + (e.kg ? " (" + e.kg + " kg)" : "") + " · " + where + " — ",
        el("strong", null, tr(e.state === "waiting" ? "driver.queue_waiting" : "driver.queue_failed_one")));
      if (e.state === "failed") {
        item.append(e.error ? el("span", { class: "detail" }, " " + e.error + " ") : " ",
          el("button", { type: "button", class: "link discard", "data-id": e.id,
            "data-testid": "queue-discard-" + e.id }, tr("driver.queue_discard")));
      }
      return item;
    }));
  }

  // ---- Taps
  async function tap(button) {
    const key = button.dataset.key;
    const ev = { id: newId(), user: day.user_id, date: day.date, stop: key, kind: button.dataset.kind,
      at: new Date().toISOString(), state: "waiting" };
    if (button.dataset.kg) {
      const input = $("kg-" + key);
      const kg = Number(String(input.value).replace(",", "."));
      const ok = input.value !== "" && kg > 0 && kg <= 5000;
      input.setAttribute("aria-invalid", ok ? "false" : "true");
      $("kg-error-" + key).hidden = ok;
      if (!ok) { input.focus(); return; }
      ev.kg = kg;
    }
    events.push(ev);
    paint();
    await saveEvent(ev);
    flush();
  }

  // ---- Sending: 2xx done; no signal, 408, 429 or 5xx wait for the next try; other 4xx are shown as refused
  // A send hanging on a dead connection is dropped when the signal comes back
  // (`retry`), and a flush asked for meanwhile runs right after the current one.
  let sending = false;
  let again = false;
  let inflight = null;
  async function send(ev) {
    const body = { id: ev.id, date: ev.date, stop: ev.stop, kind: ev.kind, at: ev.at };
    if (ev.kg !== undefined) body.kg = ev.kg;
    const abort = new AbortController();
    inflight = abort;
    const timer = setTimeout(() => abort.abort(), SEND_TIMEOUT_MS);
    try {
      return await fetch("/api/v1/events", { method: "POST", credentials: "same-origin", signal: abort.signal,
        headers: { "Content-Type": "application/json", Accept: "application/json" }, body: JSON.stringify(body) });
    } finally {
      clearTimeout(timer);
      inflight = null;
    }
  }

  async function flush() {
    if (sending) { again = true; return; }
    sending = true;
    try {
      const queue = events.filter((e) => mine(e) && e.state === "waiting").sort((a, b) => (a.at < b.at ? -1 : 1));
      for (const ev of queue) {
        let res;
        try { res = await send(ev); } catch (_) { break; }
        if (res.ok) {
          ev.state = "sent";
        } else if (res.status === 401) {
          $("driver-signed-out").hidden = false;
          break;
        } else if (res.status === 408 || res.status === 429 || res.status >= 500) {
          break;
        } else {
          ev.state = "failed";
          ev.error = await res.json().then((b) => b.message || "", () => "") || String(res.status);
        }
        $("driver-signed-out").hidden = true;
        await saveEvent(ev);
        paint();
      }
    } finally {
      sending = false;
      paint();
      if (again) { again = false; flush(); }
    }
  }

  function retry() {
    if (inflight) inflight.abort();
    flush().then(refresh);
  }

  // ---- The day: take a newer copy when there is one (from the network, or the worker's store offline)
  const sameDay = (a, b) => JSON.stringify({ ...a, served_at: "" }) === JSON.stringify({ ...b, served_at: "" });
  async function refresh() {
    try {
      const res = await fetch("/driver/day.json" + location.search,
        { credentials: "same-origin", headers: { Accept: "application/json" } });
      if (res.redirected || res.status === 401) { $("driver-signed-out").hidden = false; return; }
      if (!res.ok || !(res.headers.get("content-type") || "").startsWith("application/json")) return;
      const fresh = await res.json();
      if (fresh.date !== day.date || fresh.user_id !== day.user_id || fresh.served_at <= day.served_at) return;
      const changed = !sameDay(fresh, day);
      day = fresh;
      if (changed) render();
    } catch (_) { /* no signal and nothing stored: keep what is shown */ }
  }

  // A page just served by the network is current; one from the worker's store may not be.
  const STALE_MS = 120000;
  const stale = () => !navigator.onLine || Date.now() - Date.parse(day.served_at) > STALE_MS;

  function showNetwork() {
    const net = $("driver-net");
    net.hidden = navigator.onLine;
    net.textContent = navigator.onLine ? tr("driver.online") : tr("driver.offline");
  }

  // ---- Wiring
  $("driver-route").addEventListener("click", (e) => {
    const b = e.target.closest("button.status");
    if (b) tap(b);
  });
  $("driver-queue-list").addEventListener("click", async (e) => {
    const b = e.target.closest("button.discard");
    if (!b) return;
    events = events.filter((x) => x.id !== b.dataset.id);
    await dropEvent(b.dataset.id);
    paint();
  });
  $("driver-send-now").addEventListener("click", () => flush());
  // Signing out forgets the stored copy of the route (another person may use the phone next);
  // taps still waiting stay, marked with their driver, until that driver sends them.
  const logout = document.querySelector("form.logout");
  if (logout && window.caches) {
    logout.addEventListener("submit", async (e) => {
      e.preventDefault();
      try {
        const names = await caches.keys();
        await Promise.all(names.filter((n) => n.startsWith("giro-driver-")).map((n) => caches.delete(n)));
      } finally {
        logout.submit();
      }
    }, { once: true });
  }
  window.addEventListener("online", () => { showNetwork(); retry(); });
  window.addEventListener("offline", showNetwork);
  document.addEventListener("visibilitychange", () => { if (!document.hidden) flush(); });
  // Taps waiting are tried every few seconds (the "online" event does not
  // always come: a weak signal returns quietly); the day every RETRY_MS.
  let ticks = 0;
  setInterval(() => {
    ticks += 1;
    const waiting = events.some((e) => mine(e) && e.state === "waiting");
    if (waiting || ticks % (RETRY_MS / TICK_MS) === 0) flush().then(refresh);
  }, TICK_MS);

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/driver/sw.js", { scope: "/driver" }).catch(() => {});
  }
  showNetwork();
  render();
  store("readonly", (s) => s.getAll()).then(async (all) => {
    // Sent taps of other days are history the server keeps; the phone can forget them.
    for (const e of all.filter((x) => x.state === "sent" && x.date !== day.date)) await dropEvent(e.id);
    events = all.filter((x) => !(x.state === "sent" && x.date !== day.date));
    paint();
    await flush();
    if (stale()) await refresh();
  }, () => refresh());
})();
