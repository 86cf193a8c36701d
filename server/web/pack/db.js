// IndexedDB for the outbox: captures, files, and each file's bytes as pieces keyed by their offset.
// Pieces are ArrayBuffers, not Blobs: some Safari versions lost Blobs stored in IndexedDB.

const NAME = 'packtrail';
const VERSION = 1;

const done = (request) =>
  new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });

export async function openStore() {
  const open = indexedDB.open(NAME, VERSION);
  open.onupgradeneeded = () => {
    const db = open.result;
    db.createObjectStore('captures', { keyPath: 'localId' });
    db.createObjectStore('files', { keyPath: 'fileId' });
    db.createObjectStore('chunks', { keyPath: ['fileId', 'start'] });
  };
  const db = await done(open);
  // Another tab upgrading the database: let it, and reload into the new version.
  db.onversionchange = () => db.close();

  function run(stores, mode, body) {
    return new Promise((resolve, reject) => {
      const tx = db.transaction(stores, mode, { durability: 'strict' });
      let result;
      Promise.resolve(body(tx)).then((value) => (result = value), reject);
      tx.oncomplete = () => resolve(result);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
    });
  }

  const fileRange = (fileId, from = 0, to = Infinity) => IDBKeyRange.bound([fileId, from], [fileId, to]);

  return {
    getAll: (store) => run([store], 'readonly', (tx) => done(tx.objectStore(store).getAll())),
    put: (store, value) => run([store], 'readwrite', (tx) => void tx.objectStore(store).put(value)),
    remove: (store, key) => run([store], 'readwrite', (tx) => void tx.objectStore(store).delete(key)),

    /** Stores a piece and the file record that now counts it, in one transaction. */
    putChunk: (file, start, data) =>
      run(['chunks', 'files'], 'readwrite', (tx) => {
        tx.objectStore('chunks').put({ fileId: file.fileId, start, data });
        tx.objectStore('files').put(file);
      }),

    /** Up to about `maxBytes` from byte `offset` on, as a Blob ready to send. */
    readFrom: (fileId, offset, maxBytes) =>
      run(['chunks'], 'readonly', async (tx) => {
        const chunks = tx.objectStore('chunks');
        // The piece that holds `offset` is the last one starting at or before it.
        const first = await done(chunks.openKeyCursor(fileRange(fileId, 0, offset), 'prev'));
        const from = first ? first.key[1] : offset;
        const parts = [];
        let size = 0;
        await new Promise((resolve, reject) => {
          const request = chunks.openCursor(fileRange(fileId, from));
          request.onerror = () => reject(request.error);
          request.onsuccess = () => {
            const cursor = request.result;
            if (!cursor || size >= maxBytes) return resolve();
            const { start, data } = cursor.value;
            const skip = Math.max(0, offset - start);
            if (skip < data.byteLength) {
              const piece = new Uint8Array(data, skip, Math.min(data.byteLength - skip, maxBytes - size));
              parts.push(piece);
              size += piece.byteLength;
            }
            cursor.continue();
          };
        });
        return new Blob(parts);
      }),

    /** Calls `visit(data)` for every piece in order (for re-hashing after an interrupted recording). */
    eachChunk: (fileId, visit) =>
      run(['chunks'], 'readonly', (tx) =>
        new Promise((resolve, reject) => {
          const request = tx.objectStore('chunks').openCursor(fileRange(fileId));
          request.onerror = () => reject(request.error);
          request.onsuccess = () => {
            const cursor = request.result;
            if (!cursor) return resolve();
            visit(cursor.value.data, cursor.value.start);
            cursor.continue();
          };
        })),

    /** Drops a file's bytes and writes its record, in one transaction. */
    dropChunks: (file) =>
      run(['chunks', 'files'], 'readwrite', (tx) => {
        tx.objectStore('chunks').delete(fileRange(file.fileId));
        tx.objectStore('files').put(file);
      }),

    removeFile: (fileId) =>
      run(['chunks', 'files'], 'readwrite', (tx) => {
        tx.objectStore('chunks').delete(fileRange(fileId));
        tx.objectStore('files').delete(fileId);
      }),
  };
}
