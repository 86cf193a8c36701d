// The only importer of @tus/*: the tus 1.0.0 protocol over files in DATA_DIR/uploads. What a finished
// upload becomes (media, after the same checks as any other) is decided by the caller's onFinish.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import type http from 'node:http';
import nodePath from 'node:path';
import { FileStore } from '@tus/file-store';
import { EVENTS, Server } from '@tus/server';

export interface ResumableUpload {
  id: string;
  /** Where the bytes are, on the same disk as the originals so they can be moved, not copied. */
  filePath: string;
  metadata: Record<string, string>;
  size?: number;
  offset: number;
}

/** An answer to send instead of the protocol's own, e.g. a JSON error. */
export class UploadRefusal extends Error {
  constructor(readonly statusCode: number, readonly body: string) {
    super(body);
  }
}

interface Options {
  directory: string;
  /** The URL path the protocol is served at. */
  path: string;
  expiryMs: number;
  maxBytes: number;
  /** Runs when the last byte is in; returns headers for the final response, or throws UploadRefusal. */
  onFinish(upload: ResumableUpload): Promise<Record<string, string>>;
  /** The body of the protocol's own refusals (wrong offset, too large, …), in the service's error shape. */
  describeError(status: number, message: string): string;
}

const clean = (metadata: Record<string, string | null> | undefined) =>
  Object.fromEntries(Object.entries(metadata ?? {}).filter((pair): pair is [string, string] => pair[1] !== null));

export function createResumableUploads({ directory, path, expiryMs, maxBytes, onFinish, describeError }: Options) {
  const store = new FileStore({ directory, expirationPeriodInMilliseconds: expiryMs });
  const server = new Server({
    path,
    datastore: store,
    maxSize: maxBytes,
    relativeLocation: true,
    onResponseError(_request, error) {
      const status = 'status_code' in error ? error.status_code : 500;
      const body = 'body' in error ? String(error.body) : '';
      // Refusals of our own already carry the service's JSON; the protocol's are plain text.
      if (body.startsWith('{')) return { status_code: status, body };
      return { status_code: status, body: describeError(status, status >= 500 ? 'The upload could not be stored.' : body.trim()) };
    },
    async onUploadFinish(_request, upload) {
      // The protocol handler still reads the upload after this hook (for Upload-Expires), so the caller
      // gets a hard link to take away, and the upload itself is removed once the answer is sent.
      const uploadPath = upload.storage?.path ?? nodePath.join(directory, upload.id);
      const handedOver = `${uploadPath}.${randomUUID()}.finished`;
      await fs.link(uploadPath, handedOver);
      try {
        const headers = await onFinish({ id: upload.id, filePath: handedOver, metadata: clean(upload.metadata), size: upload.size, offset: upload.offset });
        return { headers };
      } catch (error) {
        // A refused upload is over: its bytes and its record go.
        await fs.rm(handedOver, { force: true });
        await store.remove(upload.id).catch(() => {});
        if (error instanceof UploadRefusal) throw { status_code: error.statusCode, body: error.body };
        throw error;
      }
    },
  });
  server.on(EVENTS.POST_FINISH, (_request, _response, upload) => {
    void store.remove(upload.id).catch(() => {});
  });

  return {
    handle: (request: http.IncomingMessage, response: http.ServerResponse) => server.handle(request, response),

    /** The upload's record, or undefined when there is none (unknown, finished or expired). */
    async get(id: string): Promise<ResumableUpload | undefined> {
      try {
        const upload = await store.getUpload(id);
        return { id, filePath: upload.storage?.path ?? '', metadata: clean(upload.metadata), size: upload.size, offset: upload.offset };
      } catch {
        return undefined;
      }
    },

    /**
     * Removes uploads started longer ago than the expiry, finished or not (a crash can leave a finished
     * one behind), and hand-over links a crash interrupted; returns how many uploads it removed.
     */
    async removeExpired(now = new Date()): Promise<number> {
      let removed = 0;
      for (const id of (await store.configstore.list?.()) ?? []) {
        const record = await store.configstore.get(id);
        if (!record?.creation_date || now.getTime() - new Date(record.creation_date).getTime() < expiryMs) continue;
        await store.remove(id).catch(() => store.configstore.delete(id));
        removed += 1;
      }
      for (const name of await fs.readdir(directory).catch(() => [] as string[])) {
        if (!name.endsWith('.finished')) continue;
        const file = nodePath.join(directory, name);
        const { mtimeMs } = await fs.stat(file);
        if (now.getTime() - mtimeMs > expiryMs) await fs.rm(file, { force: true });
      }
      return removed;
    },
  };
}

export type ResumableUploads = ReturnType<typeof createResumableUploads>;
