// Offline shell for the packer app: its own files come from a versioned cache, so the app opens
// with no network at all. The outbox (IndexedDB) is the page's business; API calls pass straight by.
// The server fills in VERSION (a hash of the shell files) and SHELL when it serves this file, so a
// new release is a new worker that installs a complete new cache before it takes over.
const VERSION = '__PACKTRAIL_VERSION__';
const SHELL = __PACKTRAIL_SHELL__;
const CACHE = `packtrail-shell-${VERSION}`;
const RUNTIME = 'packtrail-runtime';
const scope = new URL(self.registration.scope);

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(SHELL.map((file) => new Request(new URL(file, scope), { cache: 'no-cache' }))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((name) => name !== CACHE && name !== RUNTIME).map((name) => caches.delete(name))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== scope.origin || !url.pathname.startsWith(scope.pathname)) return;

  if (request.mode === 'navigate') {
    event.respondWith(caches.match(new URL('./', scope).href, { cacheName: CACHE, ignoreVary: true }).then((cached) => cached ?? fetch(request)));
    return;
  }
  // The barcode library is fetched only on phones that need it; keep it once it has been.
  if (url.pathname.startsWith(`${scope.pathname}vendor/`)) {
    event.respondWith(
      caches.open(RUNTIME).then(async (cache) => {
        const cached = await cache.match(request, { ignoreVary: true });
        if (cached) return cached;
        const response = await fetch(request);
        if (response.ok) await cache.put(request, response.clone());
        return response;
      }),
    );
    return;
  }
  event.respondWith(caches.match(request, { cacheName: CACHE, ignoreSearch: true, ignoreVary: true }).then((cached) => cached ?? fetch(request)));
});
