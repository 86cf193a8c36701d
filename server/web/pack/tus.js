// A small tus 1.0.0 client: create (with deferred length or with the first bytes), HEAD, PATCH.
// Why not tus-js-client: the recording is still being written while it uploads, one stored piece
// at a time in IndexedDB, and must resume from those pieces after a reload. tus-js-client only does
// that through a custom FileReader whose slice() blocks until the recorder produces more, plus its
// own URL storage beside our outbox, plus a separate pass to hash the file; and its minified build
// alone is several times the size of this whole app. The outbox (outbox.js) decides what to send;
// this module only speaks the protocol.

const TUS = { 'Tus-Resumable': '1.0.0' };

/** Anything the server or the network said no with; status 0 means no answer (offline, cut). */
export class TusError extends Error {
  constructor(status, message, code) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

function base64Utf8(text) {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

export function encodeMetadata(metadata) {
  return Object.entries(metadata)
    .filter(([, value]) => value !== undefined && value !== null && value !== '')
    .map(([key, value]) => `${key} ${base64Utf8(String(value))}`)
    .join(',');
}

function errorFrom(xhr) {
  let message = xhr.statusText || `HTTP ${xhr.status}`;
  let code;
  try {
    const body = JSON.parse(xhr.responseText);
    message = body.message ?? message;
    code = body.code;
  } catch {
    // tus errors may be plain text.
    if (xhr.responseText) message = xhr.responseText.slice(0, 300);
  }
  return new TusError(xhr.status, message, code);
}

/**
 * One request with upload progress and a stall watchdog: bad Wi-Fi often leaves a request hanging
 * without an error, so a request that moves no bytes for `stallMs` is aborted and counts as offline.
 */
function send(method, url, { headers = {}, body = null, onProgress, stallMs = 30_000, signal } = {}) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(method, url);
    for (const [name, value] of Object.entries({ ...TUS, ...headers })) xhr.setRequestHeader(name, value);
    let timer;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => xhr.abort(), stallMs);
    };
    const settle = (fn, value) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', cancel);
      fn(value);
    };
    const cancel = () => xhr.abort();
    signal?.addEventListener('abort', cancel);
    xhr.upload.onprogress = (event) => {
      arm();
      onProgress?.(event.loaded);
    };
    xhr.onload = () => settle(resolve, xhr);
    xhr.onerror = () => settle(reject, new TusError(0, 'network error'));
    xhr.onabort = () => settle(reject, new TusError(0, 'no progress; connection stalled or cancelled'));
    arm();
    xhr.send(body);
  });
}

function resultOf(xhr, url) {
  const offset = xhr.getResponseHeader('Upload-Offset');
  return {
    url,
    offset: offset === null ? undefined : Number(offset),
    mediaId: xhr.getResponseHeader('Packtrail-Media-Id') ?? undefined,
  };
}

/**
 * POST: a new upload. `length` undefined defers it (the recording is still going); `body`, when
 * given, goes along in the same request (creation-with-upload), which saves a round trip for photos.
 * `endpoint` is absolute; the upload's own URL is resolved against it.
 */
export async function createUpload(endpoint, { token, metadata, length, body, onProgress, signal }) {
  const headers = { Authorization: `Bearer ${token}`, 'Upload-Metadata': encodeMetadata(metadata) };
  if (length === undefined) headers['Upload-Defer-Length'] = '1';
  else headers['Upload-Length'] = String(length);
  if (body) headers['Content-Type'] = 'application/offset+octet-stream';
  const xhr = await send('POST', endpoint, { headers, body: body ?? null, onProgress, signal });
  if (xhr.status !== 201) throw errorFrom(xhr);
  const location = xhr.getResponseHeader('Location');
  if (!location) throw new TusError(xhr.status, 'the server gave no upload location');
  const result = resultOf(xhr, new URL(location, endpoint).href);
  return { ...result, offset: result.offset ?? 0 };
}

/** HEAD: how much of the upload the server has, and whether its length is known yet. */
export async function headUpload(url, { token, signal }) {
  const xhr = await send('HEAD', url, { headers: { Authorization: `Bearer ${token}` }, signal });
  if (xhr.status !== 200 && xhr.status !== 204) throw new TusError(xhr.status, `upload check failed (${xhr.status})`);
  const length = xhr.getResponseHeader('Upload-Length');
  return { offset: Number(xhr.getResponseHeader('Upload-Offset')), length: length === null ? undefined : Number(length) };
}

/** PATCH: append `body` at `offset`; `declareLength` sends Upload-Length once the end is known. */
export async function patchUpload(url, { token, offset, body, declareLength, onProgress, signal }) {
  const headers = {
    Authorization: `Bearer ${token}`,
    'Upload-Offset': String(offset),
    'Content-Type': 'application/offset+octet-stream',
  };
  if (declareLength !== undefined) headers['Upload-Length'] = String(declareLength);
  const xhr = await send('PATCH', url, { headers, body, onProgress, signal });
  if (xhr.status !== 204 && xhr.status !== 200) throw errorFrom(xhr);
  const result = resultOf(xhr, url);
  return { ...result, offset: result.offset ?? offset + body.size };
}
