// The moment between placing an original and registering it: a capture finished exactly then must not
// leave a file without a row, and must never take away a file another media item stands on. Driven
// through the real services on a real SQLite file and disk, since no HTTP timing can hit that moment.
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config';
import { createAuditService } from '../../server/services/audit.service';
import { createAuthService } from '../../server/services/auth.service';
import { createCapturesService, type CapturesService } from '../../server/services/captures.service';
import { noIdempotencyKey } from '../../server/services/idempotency.service';
import { createLedgerService } from '../../server/services/ledger/ledger.service';
import { createMediaProcessor, type MediaProcessor } from '../../server/services/media-processing.service';
import { createMediaService, type MediaService } from '../../server/services/media.service';
import { createOrdersService } from '../../server/services/orders.service';
import { createLocalDerivedStore, createLocalOriginalsStore } from '../../storage/blobs/local-disk.store';
import { createCapturesRepository } from '../../storage/captures.repository';
import { openDatabase, type Db } from '../../storage/database';
import { createIdentityRepository } from '../../storage/identity.repository';
import { createMediaRepository } from '../../storage/media.repository';
import { createOrdersRepository } from '../../storage/orders.repository';
import { listFiles, tempDir } from '../helpers/server';

const silent = { info() {}, warn() {} };

async function png(red: number): Promise<Buffer> {
  return sharp({ create: { width: 32, height: 32, channels: 3, background: { r: red, g: 10, b: 200 } } }).png().toBuffer();
}

describe('registering uploads while their capture is being finished', () => {
  let dir: string;
  let db: Db;
  let captures: CapturesService;
  let media: MediaService;
  let processor: MediaProcessor;
  let owner: { kind: 'user'; id: string; role: 'owner' };
  const originals = () => listFiles(path.join(dir, 'originals'));
  const rowsOf = (captureId: string) => db.prepare('SELECT sha256 FROM media WHERE capture_id = ?').pluck().all(captureId);

  beforeEach(async () => {
    dir = tempDir('packtrail-register-');
    const config = loadConfig({ DATA_DIR: dir, LOG_LEVEL: 'silent' });
    const clock = () => new Date();
    db = openDatabase(dir);
    const originals = createLocalOriginalsStore(dir);
    const derived = createLocalDerivedStore(dir);
    const mediaRepo = createMediaRepository(db);
    const auth = createAuthService({ db, identity: createIdentityRepository(db), clock, config });
    const { user } = await auth.setup({ email: 'owner@example.com', password: 'a long and unusual passphrase 7', shopName: 'Shop' });
    owner = { kind: 'user', id: user.id, role: 'owner' };
    const orders = createOrdersService({ db, orders: createOrdersRepository(db), clock });
    const ledger = createLedgerService({ db, dataDir: dir, origin: 'packtrail.test/register', clock });
    captures = createCapturesService({ db, captures: createCapturesRepository(db), media: mediaRepo, orders, ledger, clock });
    processor = createMediaProcessor({ media: mediaRepo, originals, derived, shopTimezone: () => 'UTC', concurrency: 1, maxImagePixels: config.maxImagePixels, log: silent });
    const audit = createAuditService({ db, clock });
    media = createMediaService({ db, originals, derived, media: mediaRepo, captures, ledger, audit, processor, config, clock });
  });

  afterEach(async () => {
    await processor.close();
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const newCapture = () => captures.create(owner as never, { orderId: `R-${Math.random().toString(36).slice(2)}`, kind: 'packing' }).id;
  const stage = (bytes: Buffer) => media.stage(Readable.from([bytes]), { filename: 'p.png' });

  /** Starts registering, and finishes the capture as soon as the first file is in originals/, before its row. */
  async function registerWhileFinishing(captureId: string, files: Buffer[], watch: Buffer): Promise<unknown> {
    const staged = await Promise.all(files.map(stage));
    const watched = staged[files.indexOf(watch)].blob.sha256;
    const registering = media.register(captureId, staged, owner, noIdempotencyKey).then(
      () => undefined,
      (error: unknown) => error,
    );
    let finished = false;
    while (!finished) {
      if (originals().some((file) => file.endsWith(watched))) {
        captures.finish(captureId, owner as never);
        finished = true;
      } else {
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    const error = await registering;
    await media.discard(staged);
    return error;
  }

  it('takes back the originals it placed when the capture was finished after they were placed', async () => {
    const captureId = newCapture();
    const [a, b] = await Promise.all([png(1), png(2)]);
    const error = await registerWhileFinishing(captureId, [a, b], a);
    expect(error).toMatchObject({ code: 'CAPTURE_FINISHED' });
    expect(rowsOf(captureId)).toEqual([]);
    expect(originals()).toEqual([]);
    expect(listFiles(path.join(dir, 'staging'))).toEqual([]);
  });

  it('leaves an original in place that another media item already stands on', async () => {
    const shared = await png(3);
    const kept = newCapture();
    const [registered] = await media.register(kept, [await stage(shared)], owner, noIdempotencyKey);
    const captureId = newCapture();
    const fresh = await png(4);
    const error = await registerWhileFinishing(captureId, [fresh, shared], fresh);
    expect(error).toMatchObject({ code: 'CAPTURE_FINISHED' });
    expect(rowsOf(captureId)).toEqual([]);
    expect(originals()).toEqual([expect.stringContaining(registered.sha256)]);
  });

  it('queues a registration of the same bytes behind one that is being refused, so it never loses its file', async () => {
    const bytes = await png(5);
    const refused = newCapture();
    const open = newCapture();
    const [first, second] = [await stage(bytes), await stage(bytes)];
    const registeringRefused = media.register(refused, [first], owner, noIdempotencyKey).catch((error: unknown) => error);
    const registeringOpen = media.register(open, [second], owner, noIdempotencyKey);
    while (!originals().some((file) => file.endsWith(first.blob.sha256))) await new Promise((resolve) => setImmediate(resolve));
    captures.finish(refused, owner as never);
    expect(await registeringRefused).toMatchObject({ code: 'CAPTURE_FINISHED' });
    const [view] = await registeringOpen;
    expect(rowsOf(open)).toEqual([view.sha256]);
    expect(originals()).toEqual([expect.stringContaining(view.sha256)]);
  });
});
