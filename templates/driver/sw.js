// giro driver page: the service worker keeps the page, its assets and the
// day's route on the phone. It answers GETs only: status reports (POST) always
// go to the network, and the page queues them itself while there is no signal.
const VERSION = {{ version }};
const ASSETS = {{ assets }};
const CACHE = "giro-driver-" + VERSION;
// On a weak signal, wait this long for the network before showing the stored copy.
const PATIENCE_MS = 4000;

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    await cache.addAll(ASSETS);
    // The page itself, when the driver is signed in (never a sign-in page in its place).
    try {
      const page = await fetch("/driver", { credentials: "same-origin" });
      if (page.ok && !page.redirected) await cache.put("/driver", page);
    } catch (_) { /* offline at install: the next visit stores it */ }
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    const names = await caches.keys();
    await Promise.all(names
      .filter((n) => n.startsWith("giro-driver-") && n !== CACHE)
      .map((n) => caches.delete(n)));
    await self.clients.claim();
  })());
});

async function cacheFirst(request) {
  const hit = await caches.match(request);
  if (hit) return hit;
  const res = await fetch(request);
  if (res.ok) (await caches.open(CACHE)).put(request, res.clone());
  return res;
}

// Fresh when the network answers in time, else the stored copy; a late answer still refreshes it.
async function networkFirst(event) {
  const request = event.request;
  const cache = await caches.open(CACHE);
  const fresh = fetch(request).then((res) => {
    if (res.ok && !res.redirected) cache.put(request, res.clone());
    return res;
  });
  event.waitUntil(fresh.catch(() => {}));
  const timeout = new Promise((resolve) => setTimeout(resolve, PATIENCE_MS));
  const first = await Promise.race([fresh.catch(() => null), timeout]);
  if (first) return first;
  const stored = await cache.match(request);
  return stored || fresh;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("/assets/")) {
    event.respondWith(cacheFirst(request));
  } else if (url.pathname === "/driver" || url.pathname === "/driver/day.json") {
    event.respondWith(networkFirst(event));
  }
});
