// The only importer of @tus/*: the tus 1.0.0 protocol over files in DATA_DIR/uploads. What a finished
// upload becomes (media, after the same checks as any other) is decided by the caller's onFinish.
import type http from 'node:http';
import { FileStore } from '@tus/file-store';
import { Server } from '@tus/server';

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
}

const clean = (metadata: Record<string, string | null> | undefined) =>
  Object.fromEntries(Object.entries(metadata ?? {}).filter((pair): pair is [string, string] => pair[1] !== null));

export function createResumableUploads({ directory, path, expiryMs, maxBytes, onFinish }: Options) {
  const store = new FileStore({ directory, expirationPeriodInMilliseconds: expiryMs });
  const server = new Server({
    path,
    datastore: store,
    maxSize: maxBytes,
    relativeLocation: true,
    async onUploadFinish(_request, upload) {
      try {
        const headers = await onFinish({
          id: upload.id,
          filePath: upload.storage?.path ?? `${directory}/${upload.id}`,
          metadata: clean(upload.metadata),
          size: upload.size,
          offset: upload.offset,
        });
        await store.configstore.delete(upload.id);
        return { headers };
      } catch (error) {
        // A refused upload is over: its bytes were removed by the caller, its record goes too.
        await store.configstore.delete(upload.id).catch(() => {});
        if (error instanceof UploadRefusal) throw { status_code: error.statusCode, body: error.body };
        throw error;
      }
    },
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

    /** Removes partial uploads older than the expiry; returns how many. */
    removeExpired: () => server.cleanUpExpiredUploads(),
  };
}

export type ResumableUploads = ReturnType<typeof createResumableUploads>;
