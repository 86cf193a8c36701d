// Resumable uploads: who may start, continue or cancel one, and what a finished one becomes.
import type { ResumableUpload } from '../../storage/resumable-uploads';
import { fail } from '../errors';
import type { Principal } from './auth.service';
import { noIdempotencyKey } from './idempotency.service';
import { parseTagList } from './media-tags';
import type { MediaService } from './media.service';

/** Metadata the server adds to every upload; a client-sent value under this key is replaced. */
export const OWNER_KEY = 'packtrailOwner';

const ownerOf = (principal: Pick<Principal, 'kind' | 'id'>) => `${principal.kind}:${principal.id}`;

function principalFromOwner(owner: string): Pick<Principal, 'kind' | 'id'> {
  const [kind, id] = owner.split(':');
  if ((kind !== 'user' && kind !== 'device') || !id) throw new Error(`unexpected upload owner "${owner}"`);
  return { kind, id };
}

/** Bytes the unfinished uploads have declared but not sent yet: the disk must keep room for them. */
const stillToCome = (uploads: ResumableUpload[]) => uploads.reduce((sum, upload) => sum + Math.max(0, (upload.size ?? upload.offset) - upload.offset), 0);

export function createUploadsService({ media, maxUnfinishedPerOwner }: { media: MediaService; maxUnfinishedPerOwner: number }) {
  return {
    /** Checks a new upload's metadata and returns it with its owner recorded. */
    authorizeCreate(principal: Principal, metadata: Record<string, string>): Record<string, string> {
      const captureId = metadata.captureId;
      if (!captureId || !/^[0-9a-f-]{36}$/i.test(captureId)) {
        fail('VALIDATION_FAILED', 'Upload-Metadata must carry the captureId of an open capture.');
      }
      media.requireUploadableCapture(captureId, principal);
      if (metadata.capturedAt !== undefined && Number.isNaN(Date.parse(metadata.capturedAt))) {
        fail('VALIDATION_FAILED', 'capturedAt must be an ISO 8601 time.');
      }
      // Refused now, not after the whole file has been sent.
      if (metadata.tags !== undefined) parseTagList(metadata.tags);
      return { ...metadata, [OWNER_KEY]: ownerOf(principal) };
    },

    /** Only whoever started an upload may continue, inspect or cancel it; returns the upload when the caller may. */
    authorizeAccess(principal: Principal, upload: ResumableUpload | undefined): ResumableUpload {
      if (!upload) fail('NOT_FOUND', 'No such upload: it finished, expired or never existed.');
      if (upload.metadata[OWNER_KEY] !== ownerOf(principal)) fail('FORBIDDEN', 'This upload belongs to someone else.');
      return upload;
    },

    /**
     * Lets a new upload of `declaredBytes` (undefined while its length is deferred) join the unfinished
     * ones: each device or user keeps only so many open at once, and the disk must still hold everything
     * every unfinished upload has declared, this one included.
     */
    async admit(principal: Principal, declaredBytes: number | undefined, unfinished: ResumableUpload[]): Promise<void> {
      const owner = ownerOf(principal);
      if (unfinished.filter((upload) => upload.metadata[OWNER_KEY] === owner).length >= maxUnfinishedPerOwner) {
        fail('TOO_MANY_UNFINISHED_UPLOADS', `At most ${maxUnfinishedPerOwner} uploads may be unfinished at once; finish or cancel (DELETE) one first.`);
      }
      await media.ensureDiskRoomFor(stillToCome(unfinished) + (declaredBytes ?? 0));
    },

    /** An upload that deferred its length declares it: the rest of it must fit beside what the others still declare. */
    async admitLength(upload: ResumableUpload, declaredBytes: number, unfinished: ResumableUpload[]): Promise<void> {
      const others = unfinished.filter((other) => other.id !== upload.id);
      await media.ensureDiskRoomFor(stillToCome(others) + Math.max(0, declaredBytes - upload.offset));
    },

    /** What the unfinished uploads still have to send: room other uploads must leave them. */
    reservedBytes: stillToCome,

    /**
     * The same pipeline as a multipart upload: hash, magic bytes, limits, ledger, media row. The hash
     * taken while the upload's bytes arrived is used when there is one, so they are not read again.
     */
    async complete(upload: ResumableUpload): Promise<string> {
      const { captureId, capturedAt, caption, tags, filename } = upload.metadata;
      const staged = await media.stageFile(upload.filePath, {
        capturedAt: capturedAt ? new Date(capturedAt).toISOString() : undefined,
        caption: caption?.slice(0, 500) || undefined,
        tags: parseTagList(tags ?? ''),
        filename,
      }, upload.digest);
      try {
        const [view] = await media.register(captureId, [staged], principalFromOwner(upload.metadata[OWNER_KEY]), noIdempotencyKey);
        return view.id;
      } catch (error) {
        await media.discard([staged]);
        throw error;
      }
    },
  };
}

export type UploadsService = ReturnType<typeof createUploadsService>;
