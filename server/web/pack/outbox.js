// The outbox: every capture and file stays on the phone (IndexedDB) until the server has it, and a
// file only leaves once the server's SHA-256 of it matches ours. One worker does the work in the
// order the server needs: create the capture → upload its files (a recording while it is still
// being recorded) → send its details → finish it. It survives going offline, reloads and restarts.
import { api, ApiError, getToken } from './api.js';
import { Sha256 } from './sha256.js';
import { createUpload, headUpload, patchUpload } from './tus.js';

/** The most one request carries: small enough that a cut connection wastes little of a bad link. */
const REQUEST_BYTES = 8 * 1024 * 1024;
/** A small finished file (a photo) goes inside the creating POST (creation-with-upload): one round trip. */
const SEND_WITH_CREATE = true;
/** Files picked from the native camera are stored in pieces of this size. */
const PIECE_BYTES = 1024 * 1024;
const RETRY_DELAYS_MS = [1000, 2000, 5000, 10_000, 30_000];
const HISTORY_KEY = 'packtrail.history';
const HISTORY_LENGTH = 30;

const uuid = () =>
  crypto.randomUUID?.() ??
  '10000000-1000-4000-8000-100000000000'.replace(/[018]/g, (c) => (c ^ (crypto.getRandomValues(new Uint8Array(1))[0] & (15 >> (c / 4)))).toString(16));

/** Errors that no retry will fix, per file: the server refuses the file itself. */
const refusedFile = (error) => [400, 413, 415, 422].includes(error.status);

export async function createOutbox({ store, endpoint = new URL('/api/v1/uploads', location.href).href }) {
  const captures = new Map();
  const files = new Map();
  for (const capture of await store.getAll('captures')) captures.set(capture.localId, capture);
  for (const file of await store.getAll('files')) files.set(file.fileId, file);
  let seq = Math.max(0, ...[...captures.values(), ...files.values()].map((record) => record.seq)) + 1;

  const listeners = new Set();
  const status = { state: 'idle', error: null, retryAt: null };
  const inflight = { fileId: null, sent: 0 };
  let batchBytes = 0;
  let running = false;
  let retryTimer = null;
  let attempt = 0;
  let blockedByAuth = false;
  const movedTo = new Map();

  const emit = () => {
    for (const listener of listeners) listener();
  };
  const saveCapture = (capture) => store.put('captures', capture);
  const saveFile = (file) => store.put('files', file);
  const filesOf = (capture) => [...files.values()].filter((file) => file.localId === capture.localId).sort((a, b) => a.seq - b.seq);
  const ordered = () => [...captures.values()].sort((a, b) => a.seq - b.seq);

  // A recording that was running when the page went away ends where its last stored piece ends.
  for (const file of files.values()) {
    if (file.uploadUrl) file.needsHead = true;
    if (file.complete) continue;
    const hash = new Sha256();
    let bytes = 0;
    await store.eachChunk(file.fileId, (data) => {
      hash.update(data);
      bytes += data.byteLength;
    });
    if (bytes === 0) {
      files.delete(file.fileId);
      await store.removeFile(file.fileId);
      continue;
    }
    Object.assign(file, { bytes, sha256: hash.hex(), complete: true, interrupted: true });
    await saveFile(file);
  }

  // ---- what the app puts in ----

  async function startCapture({ orderId, kind, station, order, scannedCode }) {
    const capture = {
      localId: uuid(),
      seq: seq++,
      orderId,
      /** The waybill code the order was found by, when that was not the order ID itself. */
      scannedCode: scannedCode || undefined,
      kind,
      station: station || undefined,
      idempotencyKey: uuid(),
      openedAt: new Date().toISOString(),
      serverId: null,
      startedAt: null,
      fields: {},
      sentBody: '{}',
      finishRequested: false,
      order: order ?? null,
      error: null,
      fieldsError: null,
    };
    captures.set(capture.localId, capture);
    await saveCapture(capture);
    kick();
    return capture;
  }

  async function updateCapture(localId, changes) {
    const capture = get(localId);
    if (!capture) return;
    const { fields, ...rest } = changes;
    Object.assign(capture, rest);
    if (fields) capture.fields = { ...capture.fields, ...fields };
    await saveCapture(capture);
    kick();
  }

  async function finish(localId) {
    await updateCapture(localId, { finishRequested: true });
  }

  async function beginFile(localId, { kind, type, name, capturedAt, caption, tags = [], thumb }) {
    const capture = get(localId);
    const file = {
      fileId: uuid(),
      localId: capture.localId,
      seq: seq++,
      kind,
      type,
      name,
      caption,
      /** Courier photo set codes (claimPhotoKinds); `sentTags` is what the server was last given. */
      tags: [...tags],
      sentTags: null,
      tagsError: null,
      /** A small picture of a photo for the capture's list (the bytes leave the phone once safe). */
      thumb,
      capturedAt: capturedAt ?? new Date().toISOString(),
      bytes: 0,
      complete: false,
      sha256: null,
      uploadUrl: null,
      offset: 0,
      lengthDeclared: false,
      mediaId: null,
      confirmed: false,
      error: null,
      mismatches: 0,
    };
    files.set(file.fileId, file);
    await saveFile(file);
    emit();
    return file.fileId;
  }

  /** Appends a piece of a file being written; callers append one file's pieces in order. */
  async function appendChunk(fileId, data) {
    const file = files.get(fileId);
    const start = file.bytes;
    file.bytes += data.byteLength;
    await store.putChunk(file, start, data);
    kick();
  }

  async function endFile(fileId, sha256) {
    const file = files.get(fileId);
    Object.assign(file, { complete: true, sha256 });
    await saveFile(file);
    kick();
  }

  /** A whole file at once (a photo, or a video from the phone's camera app), copied in pieces. */
  async function addFile(localId, blob, meta) {
    const fileId = await beginFile(localId, meta);
    const hash = new Sha256();
    for (let at = 0; at < blob.size; at += PIECE_BYTES) {
      const data = await blob.slice(at, at + PIECE_BYTES).arrayBuffer();
      hash.update(data);
      await appendChunk(fileId, data);
    }
    const sha256 = hash.hex();
    await endFile(fileId, sha256);
    return { fileId, sha256 };
  }

  /**
   * The photo's courier tags, changed. Before its upload starts they travel in the upload's metadata;
   * after, they follow it in a tags update of their own once the server has the file.
   */
  async function setFileTags(fileId, tags) {
    const file = files.get(fileId);
    if (!file) return;
    file.tags = [...tags];
    await saveFile(file);
    kick();
  }

  /** Only ever on the packer's explicit say-so, for a file the server refuses for good. */
  async function discardFile(fileId) {
    files.delete(fileId);
    await store.removeFile(fileId);
    kick();
  }

  const readFile = (fileId) => store.readFrom(fileId, 0, Infinity);

  // ---- the worker ----

  function patchBody(capture) {
    const body = {};
    const { weight, note, outcome, checklist } = capture.fields;
    if (weight !== undefined) body.weight = weight;
    if (note !== undefined) body.note = note;
    if (outcome !== undefined) body.outcome = outcome;
    if (checklist !== undefined) {
      body.checklist =
        checklist &&
        checklist.map(({ item, result, note: itemNote, fileIds = [] }) => {
          const mediaIds = fileIds.map((id) => files.get(id)?.mediaId).filter(Boolean);
          return { item, result, ...(itemNote ? { note: itemNote } : {}), ...(mediaIds.length ? { mediaIds } : {}) };
        });
    }
    return body;
  }

  function hasWork(file) {
    if (!file.complete && file.bytes === 0) return false;
    if (!file.uploadUrl || file.needsHead || file.offset < file.bytes) return true;
    return file.complete;
  }

  function nextStep() {
    for (const capture of ordered()) {
      if (capture.error) continue;
      if (!capture.serverId) return () => createCapture(capture);
      const body = patchBody(capture);
      if (JSON.stringify(body) !== capture.sentBody) return () => patchCapture(capture, body);
      let waiting = false;
      for (const file of filesOf(capture)) {
        if (file.confirmed) {
          if (tagsPending(file)) return () => sendTags(file);
          continue;
        }
        if (!file.error && hasWork(file)) return () => uploadStep(capture, file);
        waiting = true;
      }
      if (!waiting && capture.finishRequested) return () => finishCapture(capture);
    }
    return null;
  }

  function setState(state, error = null) {
    status.state = state;
    status.error = error;
    emit();
  }

  async function pump() {
    if (running || blockedByAuth) return;
    running = true;
    try {
      for (;;) {
        const step = nextStep();
        if (!step) {
          setState(pendingCount() > 0 ? 'waiting' : 'idle');
          break;
        }
        if (!navigator.onLine) {
          setState('offline');
          break;
        }
        setState('sending');
        try {
          await step();
          attempt = 0;
          status.retryAt = null;
        } catch (error) {
          if (!(error instanceof ApiError) && !('status' in (error ?? {}))) {
            console.error('outbox step failed', error);
          }
          if (error?.status === 401) {
            blockedByAuth = true;
            setState('unauthorized', error);
            break;
          }
          const delay = RETRY_DELAYS_MS[Math.min(attempt++, RETRY_DELAYS_MS.length - 1)] * (error?.status === 507 ? 6 : 1);
          status.retryAt = Date.now() + delay;
          setState(error?.status === 0 ? 'offline' : 'retrying', error);
          clearTimeout(retryTimer);
          retryTimer = setTimeout(kick, delay);
          break;
        }
      }
    } finally {
      running = false;
      inflight.fileId = null;
      emit();
    }
  }

  function kick() {
    emit();
    if (status.retryAt && Date.now() < status.retryAt) return;
    queueMicrotask(pump);
  }

  function retryNow() {
    attempt = 0;
    status.retryAt = null;
    blockedByAuth = false;
    clearTimeout(retryTimer);
    kick();
  }

  addEventListener('online', retryNow);
  addEventListener('offline', () => setState('offline'));

  async function createCapture(capture) {
    try {
      const created = await api('POST', '/captures', {
        json: { orderId: capture.orderId, kind: capture.kind, ...(capture.station ? { station: capture.station } : {}) },
        headers: { 'Idempotency-Key': capture.idempotencyKey },
      });
      Object.assign(capture, { serverId: created.id, startedAt: created.startedAt });
    } catch (error) {
      if (error.status !== 400) throw error;
      capture.error = { code: error.code, message: error.message };
    }
    await saveCapture(capture);
  }

  async function patchCapture(capture, body) {
    try {
      await api('PATCH', `/captures/${capture.serverId}`, { json: body });
      capture.fieldsError = null;
    } catch (error) {
      if (error.code === 'CAPTURE_FINISHED') return continueElsewhere(capture);
      if (error.status !== 400) throw error;
      // Details the server will not take must not hold the files back: say so, and go on.
      capture.fieldsError = { code: error.code, message: error.message };
    }
    capture.sentBody = JSON.stringify(body);
    await saveCapture(capture);
  }

  async function finishCapture(capture) {
    await api('POST', `/captures/${capture.serverId}/finish`);
    remember(capture);
    captures.delete(capture.localId);
    for (const file of filesOf(capture)) {
      files.delete(file.fileId);
      await store.removeFile(file.fileId);
    }
    await store.remove('captures', capture.localId);
  }

  /**
   * The server closed the capture before all of its files arrived (a seller finished it, or an
   * idle timeout elsewhere): the rest goes into a new capture of the same order, nothing is dropped.
   */
  async function continueElsewhere(closed) {
    const next = await startCapture({ orderId: closed.orderId, kind: closed.kind, station: closed.station, order: closed.order });
    next.fields = { ...closed.fields, note: closed.fields.note ?? `Continues capture ${closed.serverId}, closed before all files arrived.` };
    next.finishRequested = closed.finishRequested;
    await saveCapture(next);
    for (const file of filesOf(closed)) {
      if (file.confirmed) continue;
      Object.assign(file, { localId: next.localId, uploadUrl: null, offset: 0, lengthDeclared: false, mediaId: null, needsHead: false });
      await saveFile(file);
    }
    movedTo.set(closed.localId, next.localId);
    remember(closed, 'closed-elsewhere');
    captures.delete(closed.localId);
    for (const file of filesOf(closed)) {
      files.delete(file.fileId);
      await store.removeFile(file.fileId);
    }
    await store.remove('captures', closed.localId);
  }

  async function uploadStep(capture, file) {
    const token = getToken();
    const onProgress = (sent) => {
      inflight.sent = sent;
      emit();
    };
    inflight.fileId = file.fileId;
    inflight.sent = 0;
    try {
      if (!file.uploadUrl) {
        // The recording may end while this request is out: what was declared is what counts.
        const declared = file.complete;
        const whole = SEND_WITH_CREATE && declared && file.bytes <= REQUEST_BYTES;
        const created = await createUpload(endpoint, {
          token,
          metadata: {
            captureId: capture.serverId, filename: file.name, filetype: file.type, capturedAt: file.capturedAt, caption: file.caption,
            tags: file.tags?.length ? file.tags.join(',') : undefined,
          },
          length: declared ? file.bytes : undefined,
          body: whole ? await store.readFrom(file.fileId, 0, file.bytes) : undefined,
          onProgress,
        });
        Object.assign(file, { uploadUrl: created.url, offset: created.offset, lengthDeclared: declared, needsHead: false, sentTags: [...(file.tags ?? [])] });
        await saveFile(file);
        if (declared && file.offset === file.bytes) await verify(capture, file, created.mediaId);
        return;
      }
      if (file.needsHead) {
        const head = await headUpload(file.uploadUrl, { token });
        Object.assign(file, { offset: head.offset, lengthDeclared: head.length !== undefined, needsHead: false });
        await saveFile(file);
        return;
      }
      if (file.offset < file.bytes || !file.lengthDeclared) {
        const body = await store.readFrom(file.fileId, file.offset, REQUEST_BYTES);
        const reachesEnd = file.complete && file.offset + body.size === file.bytes;
        const patched = await patchUpload(file.uploadUrl, {
          token,
          offset: file.offset,
          body,
          declareLength: reachesEnd && !file.lengthDeclared ? file.bytes : undefined,
          onProgress,
        });
        file.offset = patched.offset;
        if (reachesEnd) file.lengthDeclared = true;
        await saveFile(file);
        if (file.complete && file.offset === file.bytes) await verify(capture, file, patched.mediaId);
        return;
      }
      // Everything was sent but the answer never came: the server may well have it already.
      if (!(await verify(capture, file))) {
        Object.assign(file, { uploadUrl: null, offset: 0, lengthDeclared: false });
        await saveFile(file);
      }
    } catch (error) {
      if (error.code === 'CAPTURE_FINISHED') return continueElsewhere(capture);
      if (error.status === 0) {
        file.needsHead = Boolean(file.uploadUrl);
        throw error;
      }
      if ([403, 404, 409, 410].includes(error.status)) {
        // The upload finished, expired, moved on or belongs to an earlier pairing: ask the server
        // whether it has the file; if not, send it again from the start (the phone still has it all).
        if (file.complete && (await verify(capture, file))) return;
        if (!file.uploadUrl) throw error;
        if (error.status === 409) file.needsHead = true;
        else Object.assign(file, { uploadUrl: null, offset: 0, lengthDeclared: false, needsHead: false });
        await saveFile(file);
        return;
      }
      if (refusedFile(error)) {
        file.error = { code: error.code ?? `HTTP_${error.status}`, message: error.message, status: error.status };
        await saveFile(file);
        return;
      }
      throw error;
    }
  }

  function tagsPending(file) {
    return Boolean(file.mediaId) && !file.tagsError && JSON.stringify(file.tags ?? []) !== JSON.stringify(file.sentTags ?? []);
  }

  async function sendTags(file) {
    const tags = [...file.tags];
    try {
      await api('PUT', `/media/${file.mediaId}/tags`, { json: { tags } });
    } catch (error) {
      if (error.status === 0 || error.status === 401 || error.status === 429 || error.status >= 500) throw error;
      // Refused for good (a code the server does not know, or a server without tags): the photo itself
      // is safe on the server; the outbox says so instead of trying for ever.
      file.tagsError = { code: error.code ?? `HTTP_${error.status}`, message: error.message };
    }
    file.sentTags = tags;
    await saveFile(file);
  }

  /** Confirms a finished file by the server's SHA-256; true when the server has exactly our bytes. */
  async function verify(capture, file, mediaId) {
    let media;
    if (mediaId) media = await api('GET', `/media/${mediaId}`);
    else media = (await api('GET', `/captures/${capture.serverId}`)).media.find((item) => item.sha256 === file.sha256);
    if (!media) return false;
    if (media.sha256 !== file.sha256) {
      file.mismatches += 1;
      Object.assign(file, { uploadUrl: null, offset: 0, lengthDeclared: false, mediaId: null });
      if (file.mismatches >= 3) {
        file.error = { code: 'HASH_MISMATCH', message: 'The server keeps receiving different bytes than this phone holds.' };
      }
      await saveFile(file);
      return false;
    }
    Object.assign(file, { mediaId: media.id, confirmed: true, confirmedAt: new Date().toISOString(), needsHead: false });
    await store.dropChunks(file);
    return true;
  }

  // ---- what the app reads ----

  function remember(capture, outcome = 'finished') {
    const entry = {
      localId: capture.localId,
      captureId: capture.serverId,
      orderId: capture.orderId,
      kind: capture.kind,
      outcome,
      finishedAt: new Date().toISOString(),
      files: filesOf(capture)
        .filter((file) => file.confirmed)
        .map(({ fileId, kind, type, bytes, sha256, mediaId, tags }) => ({ fileId, kind, type, bytes, sha256, mediaId, tags })),
    };
    const history = [entry, ...readHistory()].slice(0, HISTORY_LENGTH);
    localStorage.setItem(HISTORY_KEY, JSON.stringify(history));
  }

  function pendingCount() {
    let count = 0;
    for (const capture of captures.values()) {
      if (!capture.serverId || capture.finishRequested) count++;
    }
    for (const file of files.values()) if (!file.confirmed || tagsPending(file)) count++;
    return count;
  }

  function summary() {
    let bytesLeft = 0;
    let failed = 0;
    for (const file of files.values()) {
      if (file.error) failed++;
      if (file.confirmed || file.error) continue;
      bytesLeft += Math.max(0, file.bytes - file.offset - (inflight.fileId === file.fileId ? inflight.sent : 0));
    }
    for (const capture of captures.values()) if (capture.error) failed++;
    if (bytesLeft === 0) batchBytes = 0;
    else batchBytes = Math.max(batchBytes, bytesLeft);
    const recording = [...files.values()].some((file) => !file.complete);
    return {
      state: status.state,
      error: status.error,
      retryAt: status.retryAt,
      pending: pendingCount(),
      failed,
      bytesLeft,
      progress: batchBytes ? 1 - bytesLeft / batchBytes : 1,
      recording,
    };
  }

  const get = (localId) => captures.get(localId) ?? (movedTo.has(localId) ? captures.get(movedTo.get(localId)) : undefined);

  return {
    startCapture,
    updateCapture,
    finish,
    beginFile,
    appendChunk,
    endFile,
    addFile,
    discardFile,
    setFileTags,
    readFile,
    get,
    filesOf: (localId) => (get(localId) ? filesOf(get(localId)) : []),
    list: () => ordered().map((capture) => ({ capture, files: filesOf(capture) })),
    summary,
    history: readHistory,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    kick,
    retryNow,
  };
}

export function readHistory() {
  try {
    return JSON.parse(localStorage.getItem(HISTORY_KEY) ?? '[]');
  } catch {
    return [];
  }
}
