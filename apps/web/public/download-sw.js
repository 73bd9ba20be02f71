// Zegel's download service worker (scope /download/). The page decrypts a large file and hands
// the plaintext stream over with postMessage; a hidden frame then opens /download/<token> and this
// worker answers with that stream as an attachment, so the browser writes it straight to disk.
// If the page errors the stream (a damaged or truncated file), the download fails in the browser
// and is never completed under the file's name.
const pending = new Map();

self.addEventListener('install', () => {
  self.skipWaiting();
});

self.addEventListener('activate', (event) => {
  event.waitUntil(self.clients.claim());
});

self.addEventListener('message', (event) => {
  const data = event.data;
  // A keep-alive ping from a page with a download running: receiving it is the point.
  if (data?.type !== 'download') return;
  if (typeof data.token !== 'string' || !(data.stream instanceof ReadableStream)) return;
  pending.set(data.token, data);
  // Forget a stream nobody fetched within a minute.
  setTimeout(() => pending.delete(data.token), 60_000);
  event.ports[0]?.postMessage('ready');
});

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  const match = /^\/download\/([0-9a-f-]{36})$/.exec(url.pathname);
  if (!match || url.origin !== self.location.origin) return;
  const entry = pending.get(match[1]);
  if (!entry) {
    event.respondWith(new Response('Not found', { status: 404 }));
    return;
  }
  pending.delete(match[1]);
  const headers = {
    'content-type': 'application/octet-stream',
    'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(entry.name)}`,
    'x-content-type-options': 'nosniff',
    'cache-control': 'no-store',
  };
  if (Number.isSafeInteger(entry.size)) headers['content-length'] = String(entry.size);
  event.respondWith(new Response(entry.stream, { headers }));
});
