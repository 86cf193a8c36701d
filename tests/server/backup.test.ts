// Backups and restores through the operator's commands (`npm run backup` / `npm run restore`, run as
// child processes) against a real service: taken while uploads run, restored into an empty DATA_DIR,
// and the restored service started and checked the way a shop would check it.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromHex, leafHashOf, toHex, utf8, verifyConsistency, verifyInclusion, verifySignedNote } from '../../server/services/ledger/verifier/verify-core';
import { takeBackup } from '../../server/services/backup/backup.service';
import { markDerivedFilesPending, readDatabaseFacts } from '../../storage/backup/database-copy';
import { MANIFEST_FILE } from '../../storage/backup/layout';
import type { BackupManifest } from '../../storage/backup/manifest';
import { fetchOriginal, paced, startUpload } from '../helpers/child-server';
import { inspectDatabase, originalFile, originalProblem, sha256Of, sha256OfFile } from '../helpers/data-dir';
import { chunksOf, pdfDocument } from '../helpers/pdf-file';
import { fixture, listFiles, setUpShop, startServer, tempDir, uploadFiles, type TestServer } from '../helpers/server';
import { tusCreate, tusPatch } from '../helpers/tus-client';
import { waitFor, within } from '../helpers/wait';
import { cephClient, createTestBucket, startCephRgw } from '../helpers/ceph-rgw';
import { DeleteObjectCommand } from '@aws-sdk/client-s3';

const KIB = 1024;
const repoRoot = path.resolve(import.meta.dirname, '..', '..');

interface CommandResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Starts scripts/<name>.ts as `npm run <name> -- dir` does, with DATA_DIR set. */
function startScript(name: 'backup' | 'restore', dir: string, dataDir: string, env: Record<string, string> = {}): { child: ChildProcess; done: Promise<CommandResult> } {
  const child = spawn(process.execPath, ['--import', 'tsx', `scripts/${name}.ts`, dir], {
    cwd: repoRoot,
    env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (part: Buffer) => (stdout += part.toString()));
  child.stderr!.on('data', (part: Buffer) => (stderr += part.toString()));
  const done = within(`npm run ${name}`, new Promise<CommandResult>((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr }))), 60_000);
  return { child, done };
}

const runScript = (name: 'backup' | 'restore', dir: string, dataDir: string, env: Record<string, string> = {}) => startScript(name, dir, dataDir, env).done;

const readManifest = (dir: string) => JSON.parse(fs.readFileSync(path.join(dir, MANIFEST_FILE), 'utf8')) as BackupManifest;

interface Uploaded {
  id: string;
  sha256: string;
}

async function uploadOne(server: TestServer, token: string, captureId: string, bytes: Buffer, name = 'note.pdf'): Promise<Uploaded> {
  const response = await uploadFiles(server, token, captureId, [{ name, bytes: new Uint8Array(bytes) }]);
  if (response.status !== 201) throw new Error(`upload: ${response.status} ${await response.text()}`);
  const media = ((await response.json()) as { media: Uploaded[] }).media[0];
  expect(media.sha256).toBe(sha256Of(bytes));
  return media;
}

async function newCapture(server: TestServer, token: string, orderId: string): Promise<string> {
  const response = await server.request('POST', '/api/v1/captures', { token, json: { orderId, kind: 'packing' } });
  if (response.status !== 201) throw new Error(`capture: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { id: string }).id;
}

/** The restored service's ledger checked as an outsider would: signature, inclusion of each upload, and that it extends the old log. */
async function expectLedgerVerifies(server: TestServer, token: string, media: Uploaded[], before: { key: string; checkpoint: string }) {
  const key = (await (await fetch(`${server.url}/api/v1/ledger/key`)).text()).trim();
  expect(key).toBe(before.key);
  const oldSigned = await verifySignedNote(before.checkpoint, key);
  if (!oldSigned.ok) throw new Error(oldSigned.reason);
  for (const item of media) {
    const proof = await (await server.request('GET', `/api/v1/media/${item.id}/proof`, { token })).json();
    expect(proof.entry).toContain(`sha256 ${item.sha256}`);
    expect(toHex(leafHashOf(utf8(proof.entry)))).toBe(proof.leafHash);
    expect(verifyInclusion(fromHex(proof.leafHash), proof.leafIndex, proof.treeSize, proof.proof.map(fromHex), fromHex(proof.rootHash))).toBe(true);
    const signed = await verifySignedNote(proof.checkpoint, key);
    if (!signed.ok) throw new Error(signed.reason);
  }
  const oldSize = Number(oldSigned.text.split('\n')[1]);
  const latest = await (await fetch(`${server.url}/api/v1/ledger/checkpoint`)).text();
  const latestSigned = await verifySignedNote(latest, key);
  if (!latestSigned.ok) throw new Error(latestSigned.reason);
  const newSize = Number(latestSigned.text.split('\n')[1]);
  const consistency = await (await fetch(`${server.url}/api/v1/ledger/consistency?from=${oldSize}&to=${newSize}`)).json();
  const root = (text: string) => Buffer.from(text.split('\n')[2], 'base64');
  expect(verifyConsistency(oldSize, newSize, root(oldSigned.text), root(latestSigned.text), consistency.proof.map(fromHex))).toBe(true);
}

describe('backups and restores', () => {
  const cleanup: string[] = [];
  const servers: TestServer[] = [];
  const dir = (prefix: string) => {
    const made = tempDir(prefix);
    cleanup.push(made);
    return made;
  };
  /** A DATA_DIR path that does not exist yet (inside a temp folder), as an operator would name a new one. */
  const freshDataDir = () => path.join(dir('packtrail-restore-'), 'data');
  const start = async (dataDir?: string) => {
    const server = await startServer({ MAX_DOCUMENT_BYTES: '64MiB' }, { dataDir: dataDir ?? dir('packtrail-live-') });
    servers.push(server);
    return server;
  };
  afterAll(async () => {
    await Promise.all(servers.map((server) => server.close()));
    for (const made of cleanup) fs.rmSync(made, { recursive: true, force: true });
  });

  it('takes a backup while multipart and tus uploads run; the restored service has every acknowledged upload, whole, and its ledger verifies', async () => {
    const live = await start();
    const shop = await setUpShop(live);
    const { token } = await shop.deviceToken();
    const captureId = await newCapture(live, token, 'BACKUP-1');

    const acknowledged: Uploaded[] = [];
    for (let i = 0; i < 3; i++) acknowledged.push(await uploadOne(live, token, captureId, pdfDocument(64 * KIB + i)));
    // A photo and a video too: their thumbnails and playback copy are not in a backup and must come back.
    const photo = await uploadOne(live, token, captureId, fs.readFileSync(fixture('photo.png')), 'photo.png');
    const video = await uploadOne(live, token, captureId, fs.readFileSync(fixture('clip.mp4')), 'clip.mp4');
    acknowledged.push(photo, video);
    const before = {
      key: (await (await fetch(`${live.url}/api/v1/ledger/key`)).text()).trim(),
      checkpoint: await (await fetch(`${live.url}/api/v1/ledger/checkpoint`)).text(),
    };

    // In flight when the backup starts, three multipart and two tus uploads: one of each finishes while
    // the backup runs, one of each only after it has finished (held back until then), and one multipart
    // upload streams slowly right through it.
    const gate = () => {
      let open!: () => void;
      const opened = new Promise<void>((resolve) => (open = resolve));
      return { opened, open };
    };
    const duringBackup = gate();
    const afterBackup = gate();
    const piece = 32 * KIB;
    const multipart = [duringBackup, afterBackup, undefined].map((held, i) => {
      const bytes = pdfDocument((1024 + 512 * i) * KIB);
      const chunks = held
        ? paced(chunksOf(bytes, piece), { delayMs: 2, holdAfterBytes: bytes.length - piece, gate: held.opened })
        : paced(chunksOf(bytes, piece), { delayMs: 30 });
      return { upload: startUpload({ url: live.url, token, captureId, chunks, size: bytes.length }), bytes, heldUntilAfter: held === afterBackup };
    });
    const tus = await Promise.all([duringBackup, afterBackup].map(async (held, i) => {
      const bytes = pdfDocument((1024 + 256 * i) * KIB);
      const created = await tusCreate(live.url, token, { captureId, length: bytes.length, filename: `tus-${i}.pdf` });
      expect(created.status).toBe(201);
      const half = bytes.length >> 1;
      expect((await tusPatch(created.location!, token, 0, bytes.subarray(0, half)).done).status).toBe(204);
      const rest = held.opened.then(() => tusPatch(created.location!, token, half, bytes.subarray(half), { pieceSize: piece, delayMs: 2 }).done);
      return { rest, bytes, heldUntilAfter: held === afterBackup };
    }));
    await waitFor('multipart uploads under way', () => multipart.every(({ upload }) => upload.sentBytes > 4 * piece), 20_000);

    const backupDir = dir('packtrail-backup-');
    const running = runScript('backup', backupDir, live.dataDir);
    duringBackup.open();
    const backup = await running;
    expect(backup.stderr).toBe('');
    expect(backup.code).toBe(0);
    afterBackup.open();

    // Every upload in flight is acknowledged in the end: the backup never stood in their way.
    const lateMedia: (Uploaded & { bytes: Buffer; heldUntilAfter: boolean })[] = [];
    for (const { upload, bytes, heldUntilAfter } of multipart) {
      const result = await within('a multipart upload', upload.result, 60_000);
      expect(result.status).toBe(201);
      lateMedia.push({ ...(result.body as { media: Uploaded[] }).media[0], bytes, heldUntilAfter });
    }
    for (const { rest, bytes, heldUntilAfter } of tus) {
      const answer = await within('a tus upload', rest, 60_000);
      expect(answer.status).toBe(204);
      lateMedia.push({ id: answer.mediaId!, sha256: sha256Of(bytes), bytes, heldUntilAfter });
    }

    const manifest = readManifest(backupDir);
    expect(manifest.signingKey).toBe(path.join('ledger', 'signing.key'));
    expect(manifest.verifierKey).toBe(before.key);
    expect(manifest.originals.store).toBe('local');
    expect(manifest.database.media).toBeGreaterThanOrEqual(acknowledged.length);
    // One self-contained database file (no -wal or -shm to forget), and a key only its owner can read.
    expect(fs.readdirSync(backupDir).filter((name) => name.startsWith('packtrail.sqlite'))).toEqual(['packtrail.sqlite']);
    expect(fs.statSync(path.join(backupDir, 'ledger', 'signing.key')).mode & 0o077).toBe(0);
    expect(fs.statSync(path.join(backupDir, 'packtrail.sqlite')).mode & 0o077).toBe(0);
    expect(fs.readFileSync(path.join(backupDir, 'ledger', 'signing.key'))).toEqual(fs.readFileSync(path.join(live.dataDir, 'ledger', 'signing.key')));

    const dataDir = freshDataDir();
    const restore = await runScript('restore', backupDir, dataDir);
    expect(restore.stderr).toBe('');
    expect(restore.code).toBe(0);
    expect(restore.stdout).toMatch(/ledger: verifies/);
    expect(restore.stdout).toContain(`verifier key ${before.key}`);
    expect(restore.stdout).toMatch(new RegExp(`originals: ${manifest.database.media} restored`));
    // The restore says loudly where the restored log ends, and records it in the restored custody log.
    const restoredFacts = new Database(path.join(dataDir, 'packtrail.sqlite'), { readonly: true });
    const entries = (restoredFacts.prepare('SELECT COUNT(*) AS n FROM ledger_entries').get() as { n: number }).n;
    const latestCheckpoint = restoredFacts.prepare('SELECT size, created_at FROM ledger_checkpoints ORDER BY size DESC LIMIT 1').get() as { size: number; created_at: string };
    const restoreEvents = restoredFacts.prepare("SELECT actor_type, subject_type, detail FROM audit_events WHERE action = 'restore'").all() as { actor_type: string; subject_type: string; detail: string }[];
    restoredFacts.close();
    expect(restore.stdout).toContain(
      `WARNING: the restored evidence log ends at entry ${entries - 1} (${entries} entries, backup taken ${manifest.takenAt}; its latest checkpoint is of ${latestCheckpoint.size} entries, signed ${latestCheckpoint.created_at}).`,
    );
    expect(restore.stdout).toMatch(/the log has forked/);
    expect(restoreEvents).toHaveLength(1);
    expect(restoreEvents[0]).toMatchObject({ actor_type: 'system', subject_type: 'ledger' });
    expect(JSON.parse(restoreEvents[0].detail)).toMatchObject({
      backupTakenAt: manifest.takenAt, ledgerEntries: entries, checkpointSize: latestCheckpoint.size, checkpointSignedAt: latestCheckpoint.created_at,
    });

    // Outside the service: the restored database is whole and each of its rows has an original that hashes true.
    const restoredDb = inspectDatabase(dataDir);
    expect(restoredDb.integrity).toBe('ok');
    expect(restoredDb.media.map((row) => originalProblem(dataDir, row)).filter(Boolean)).toEqual([]);

    const restored = await start(dataDir);
    for (const item of acknowledged) {
      const original = await fetchOriginal(restored.url, token, item.id);
      expect(original.status).toBe(200);
      expect(original.sha256).toBe(item.sha256);
    }
    // An upload in flight at backup time is wholly there, or not there at all.
    const restoredIds = new Set(restoredDb.media.map((row) => row.id));
    for (const item of lateMedia) {
      const original = await fetchOriginal(restored.url, token, item.id);
      if (item.heldUntilAfter) expect(restoredIds.has(item.id)).toBe(false);
      if (restoredIds.has(item.id)) {
        expect(original.status).toBe(200);
        expect(original.sha256).toBe(item.sha256);
        expect(original.bytes).toBe(item.bytes.length);
      } else {
        expect(original.status).toBe(404);
      }
    }
    await expectLedgerVerifies(restored, token, acknowledged, before);

    // The restored service keeps working: a new upload lands and is logged after the restored entries.
    const after = await uploadOne(restored, token, captureId, pdfDocument(70 * KIB));
    await expectLedgerVerifies(restored, token, [...acknowledged, after], before);
    // Thumbnails and playback copies are not in the backup; the restored service makes them again.
    expect(fs.existsSync(path.join(backupDir, 'derived'))).toBe(false);
    await waitFor('derived files made again', () => inspectDatabaseStatus(dataDir).every((status) => status !== 'pending'), 60_000);
    expect(new Set(inspectDatabaseStatus(dataDir))).toEqual(new Set(['ready']));
    for (const item of [photo, video]) {
      const thumbnail = await restored.request('GET', `/api/v1/media/${item.id}/thumbnail`, { token });
      expect(thumbnail.status).toBe(200);
      expect(thumbnail.headers.get('content-type')).toMatch(/^image\/jpeg/);
    }
    const playback = await restored.request('GET', `/api/v1/media/${video.id}/playback`, { token });
    expect(playback.status).toBe(200);
    expect((await playback.arrayBuffer()).byteLength).toBeGreaterThan(0);
  });

  it('lets one service at a time use a DATA_DIR: a second refuses before any start-up clean-up, and a lock whose process is gone is taken over', async () => {
    const live = await start();
    const lockFile = path.join(live.dataDir, 'packtrail.lock');
    expect(fs.readFileSync(lockFile, 'utf8')).toContain(` ${process.pid} `);
    // What an upload in flight has in staging, which a second service's start-up sweep would delete.
    const inFlight = path.join(live.dataDir, 'staging', 'upload-in-flight');
    fs.writeFileSync(inFlight, 'half an upload');
    const second = spawnSync(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      cwd: repoRoot, encoding: 'utf8', timeout: 30_000,
      env: { ...process.env, DATA_DIR: live.dataDir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info' },
    });
    expect(second.status, second.stdout + second.stderr).toBe(1);
    expect(second.stderr).toContain(`Not started: DATA_DIR ${live.dataDir} is in use by process ${process.pid}`);
    expect(second.stdout).not.toMatch(/storage ready/);
    expect(fs.readFileSync(inFlight, 'utf8')).toBe('half an upload');
    // A restore into a folder a service holds is refused too (not empty), and one that is filling a folder holds the lock itself.
    expect((await runScript('restore', dir('packtrail-no-backup-'), live.dataDir)).code).toBe(2);

    await live.close();
    servers.splice(servers.indexOf(live), 1);
    expect(fs.existsSync(lockFile)).toBe(false);
    const gone = spawnSync(process.execPath, ['-e', 'process.exit(0)']).pid!;
    fs.writeFileSync(lockFile, `${os.hostname()} ${gone} 2026-01-01T00:00:00.000Z\n`);
    const again = spawnSync(process.execPath, ['--import', 'tsx', '-e', `
      const { buildApp } = await import('./server/app.ts');
      const { loadConfig } = await import('./server/config.ts');
      const fs = await import('node:fs');
      const app = await buildApp(loadConfig());
      console.log(fs.readFileSync(process.env.DATA_DIR + '/packtrail.lock', 'utf8').trim());
      await app.close();
      console.log(fs.existsSync(process.env.DATA_DIR + '/packtrail.lock'));
    `], { cwd: repoRoot, encoding: 'utf8', timeout: 30_000, env: { ...process.env, DATA_DIR: live.dataDir, LOG_LEVEL: 'warn' } });
    expect(again.status, again.stdout + again.stderr).toBe(0);
    expect(again.stdout).toMatch(new RegExp(`^${os.hostname()} ${again.pid} \\S+\nfalse\n$`));
  });

  it('with originals in a bucket, backs up the database and key only, says so, and restores them', async () => {
    const live = await start();
    const shop = await setUpShop(live);
    const { token } = await shop.deviceToken();
    const item = await uploadOne(live, token, await newCapture(live, token, 'BACKUP-S3'), pdfDocument(30 * KIB));
    // As TLS_SELF_SIGNED=true leaves it: the certificate phones accepted, kept so they need not accept another.
    fs.mkdirSync(path.join(live.dataDir, 'tls'));
    fs.writeFileSync(path.join(live.dataDir, 'tls', 'self-signed.cert.pem'), 'certificate');
    fs.writeFileSync(path.join(live.dataDir, 'tls', 'self-signed.key.pem'), 'private key', { mode: 0o600 });
    const backupDir = dir('packtrail-backup-');
    const manifest = await takeBackup({ dataDir: live.dataDir, backupDir, originalsStore: { kind: 's3', bucket: 'evidence' } });
    expect(manifest.originals).toMatchObject({ store: 's3', bucket: 'evidence', referenced: 1 });
    expect(fs.existsSync(path.join(backupDir, 'originals'))).toBe(false);

    const dataDir = freshDataDir();
    const restore = await runScript('restore', backupDir, dataDir);
    expect(restore.code).toBe(0);
    expect(restore.stdout).toMatch(/originals: in the S3 bucket evidence/);
    expect(restore.stdout).toMatch(/start the restored service with BLOB_STORE=s3/);
    expect(fs.readFileSync(path.join(dataDir, 'tls', 'self-signed.key.pem'), 'utf8')).toBe('private key');
    expect(fs.statSync(path.join(dataDir, 'tls', 'self-signed.key.pem')).mode & 0o077).toBe(0);
    expect(fs.readFileSync(path.join(dataDir, 'tls', 'self-signed.cert.pem'), 'utf8')).toBe('certificate');
    expect(inspectDatabase(dataDir).media.map((row) => row.sha256)).toEqual([item.sha256]);
    expect(fs.existsSync(path.join(dataDir, 'ledger', 'signing.key'))).toBe(true);
  });

  it('with BLOB_STORE=s3, restore asks the bucket for every original the database names and reports the ones it lacks', async () => {
    const ceph = await startCephRgw();
    const bucket = await createTestBucket(ceph, { objectLock: false });
    const s3Env = { ...ceph.env, BLOB_STORE: 's3', S3_BUCKET: bucket };
    const live = await startServer({ ...s3Env, MAX_DOCUMENT_BYTES: '64MiB' }, { dataDir: dir('packtrail-live-s3-') });
    servers.push(live);
    const shop = await setUpShop(live);
    const { token } = await shop.deviceToken();
    const captureId = await newCapture(live, token, 'BACKUP-S3-CHECK');
    const kept = await uploadOne(live, token, captureId, pdfDocument(20 * KIB));
    const lost = await uploadOne(live, token, captureId, pdfDocument(21 * KIB));
    const backupDir = dir('packtrail-backup-s3-');
    expect((await runScript('backup', backupDir, live.dataDir, s3Env)).code).toBe(0);

    const whole = await runScript('restore', backupDir, freshDataDir(), s3Env);
    expect(whole.code, whole.stdout + whole.stderr).toBe(0);
    expect(whole.stdout).toContain('bucket: 2 of the 2 originals the database names are there');

    await cephClient(ceph).send(new DeleteObjectCommand({ Bucket: bucket, Key: `originals/${lost.sha256}` }));
    const restore = await runScript('restore', backupDir, freshDataDir(), s3Env);
    expect(restore.code).toBe(1);
    expect(restore.stdout).toContain('bucket: 1 of the 2 originals the database names are there');
    expect(restore.stderr).toContain(`PROBLEM: original ${lost.sha256} is named by the database but missing from the bucket`);
    expect(restore.stderr).not.toContain(kept.sha256);
  });

  it('names originals already missing or damaged in DATA_DIR at backup time, copies neither, and restore says so', async () => {
    const live = await start();
    const shop = await setUpShop(live);
    const { token } = await shop.deviceToken();
    const captureId = await newCapture(live, token, 'BACKUP-LOST');
    const kept = await uploadOne(live, token, captureId, pdfDocument(20 * KIB));
    const lost = await uploadOne(live, token, captureId, pdfDocument(21 * KIB));
    fs.rmSync(originalFile(live.dataDir, lost.sha256), { force: true });
    const rotten = await uploadOne(live, token, captureId, pdfDocument(22 * KIB));
    const rottenFile = originalFile(live.dataDir, rotten.sha256);
    fs.chmodSync(rottenFile, 0o644);
    fs.appendFileSync(rottenFile, 'bit rot');

    const backupDir = dir('packtrail-backup-');
    const backup = await runScript('backup', backupDir, live.dataDir);
    expect(backup.code).toBe(1);
    expect(backup.stderr).toContain(`original ${lost.sha256} is named by the database but missing from DATA_DIR`);
    expect(backup.stderr).toContain(`original ${rotten.sha256} in DATA_DIR does not hash to its name: not copied`);
    expect(readManifest(backupDir).originals).toMatchObject({ missingFromDataDir: [lost.sha256], damagedInDataDir: [rotten.sha256], copiedThisRun: 1 });
    expect(fs.existsSync(originalFile(backupDir, rotten.sha256))).toBe(false);

    const dataDir = freshDataDir();
    const restore = await runScript('restore', backupDir, dataDir);
    expect(restore.code).toBe(1);
    expect(restore.stderr).toContain(`original ${lost.sha256} was already missing from DATA_DIR when the backup was taken`);
    expect(restore.stderr).toContain(`original ${rotten.sha256} was already damaged in DATA_DIR when the backup was taken`);
    expect(fs.existsSync(originalFile(dataDir, kept.sha256))).toBe(true);
    // No empty fan-out folders for what could not be copied.
    expect(fs.existsSync(path.dirname(originalFile(dataDir, lost.sha256))) && lost.sha256.slice(0, 4) !== kept.sha256.slice(0, 4)).toBe(false);
  });

  describe('an incremental backup folder', () => {
    let live: TestServer;
    let token: string;
    let captureId: string;
    let backupDir: string;
    const media: Uploaded[] = [];

    beforeAll(async () => {
      live = await start();
      const shop = await setUpShop(live);
      token = (await shop.deviceToken()).token;
      captureId = await newCapture(live, token, 'BACKUP-2');
      for (let i = 0; i < 3; i++) media.push(await uploadOne(live, token, captureId, pdfDocument(40 * KIB + i)));
      backupDir = dir('packtrail-backup-');
    });

    it('copies only originals not already in it, keeps the earlier ones, and replaces the database copy', async () => {
      const first = await runScript('backup', backupDir, live.dataDir);
      expect(first.code).toBe(0);
      expect(readManifest(backupDir).originals).toMatchObject({ store: 'local', referenced: 3, copiedThisRun: 3, filesInFolder: 3 });
      const earlier = originalFile(backupDir, media[0].sha256);
      const earlierStat = fs.statSync(earlier);

      for (let i = 0; i < 2; i++) media.push(await uploadOne(live, token, captureId, pdfDocument(50 * KIB + i)));
      const second = await runScript('backup', backupDir, live.dataDir);
      expect(second.code).toBe(0);
      expect(second.stdout).toMatch(/2 new copied/);
      const manifest = readManifest(backupDir);
      expect(manifest.originals).toMatchObject({ store: 'local', referenced: 5, copiedThisRun: 2, filesInFolder: 5 });
      expect(manifest.database.media).toBe(5);
      // The earlier copy was left alone, not written again.
      expect(fs.statSync(earlier).ino).toBe(earlierStat.ino);
      expect(fs.statSync(earlier).mtimeMs).toBe(earlierStat.mtimeMs);
      // Nothing half-written is left beside the copies.
      expect(listFiles(backupDir).filter((file) => file.endsWith('.tmp'))).toEqual([]);
    });

    it('lets one backup at a time write to the folder, and takes over a lock whose run is gone', async () => {
      const lock = path.join(backupDir, '.backup.lock');
      fs.writeFileSync(lock, `${os.hostname()} ${process.pid} 2026-01-01T00:00:00.000Z\n`);
      const busy = await runScript('backup', backupDir, live.dataDir);
      expect(busy.code).toBe(2);
      expect(busy.stderr).toMatch(new RegExp(`another backup \\(process ${process.pid} on`));
      // A pid that is not running: a run killed part-way, whose lock is stale.
      const gone = spawnSync(process.execPath, ['-e', 'process.exit(0)']).pid!;
      fs.writeFileSync(lock, `${os.hostname()} ${gone} 2026-01-01T00:00:00.000Z\n`);
      const taken = await runScript('backup', backupDir, live.dataDir);
      expect(taken.code).toBe(0);
      expect(taken.stdout).toMatch(/0 new copied/);
      expect(fs.existsSync(lock)).toBe(false);
    });

    it('leaves out of a backup the originals retention let go, and does not ask for their thumbnails again', () => {
      const copy = path.join(dir('packtrail-copy-'), 'packtrail.sqlite');
      fs.copyFileSync(path.join(backupDir, 'packtrail.sqlite'), copy);
      const db = new Database(copy);
      // Retention's migration adds the column; a database from before it has every original.
      const columns = db.prepare("SELECT name FROM pragma_table_info('media')").pluck().all() as string[];
      if (!columns.includes('removed_at')) db.exec('ALTER TABLE media ADD COLUMN removed_at TEXT');
      db.prepare("UPDATE media SET removed_at = '2026-01-01T00:00:00.000Z', processing_status = 'ready' WHERE id = ?").run(media[0].id);
      db.close();
      expect(readDatabaseFacts(copy).originals.map((original) => original.sha256)).not.toContain(media[0].sha256);
      expect(readDatabaseFacts(copy).originals).toHaveLength(media.length - 1);
      markDerivedFilesPending(copy);
      const after = new Database(copy, { readonly: true });
      expect(after.prepare('SELECT processing_status FROM media WHERE id = ?').pluck().get(media[0].id)).toBe('ready');
      after.close();
    });

    it('keeps the previous backup whole when a run is killed part-way, and the next run finishes the job', async () => {
      const before = readManifest(backupDir);
      const databaseBefore = fs.readFileSync(path.join(backupDir, 'packtrail.sqlite'));
      const added: Uploaded[] = [];
      for (let batch = 0; batch < 6; batch++) {
        added.push(...(await Promise.all([0, 1, 2, 3, 4].map((i) => uploadOne(live, token, captureId, pdfDocument(256 * KIB + batch * 5 + i))))));
      }
      const copiedSoFar = () => added.filter((item) => fs.existsSync(originalFile(backupDir, item.sha256))).length;

      const run = startScript('backup', backupDir, live.dataDir);
      await waitFor('the backup copying originals', () => copiedSoFar() > 0 || run.child.exitCode !== null, 30_000);
      run.child.kill('SIGKILL');
      await run.done;
      // Killed while copying: the folder still holds the earlier backup, database and manifest alike.
      expect(copiedSoFar()).toBeLessThan(added.length);
      expect(readManifest(backupDir)).toEqual(before);
      expect(fs.readFileSync(path.join(backupDir, 'packtrail.sqlite'))).toEqual(databaseBefore);
      const earlier = await runScript('restore', backupDir, freshDataDir());
      expect(earlier.code).toBe(0);
      expect(earlier.stdout).toMatch(new RegExp(`originals: ${before.originals.referenced} restored`));

      const next = await runScript('backup', backupDir, live.dataDir);
      expect(next.code).toBe(0);
      const manifest = readManifest(backupDir);
      expect(manifest.originals).toMatchObject({ referenced: media.length + added.length, filesInFolder: media.length + added.length });
      expect((manifest.originals as { copiedThisRun: number }).copiedThisRun).toBeLessThanOrEqual(added.length);
      expect(listFiles(backupDir).filter((file) => file.endsWith('.tmp'))).toEqual([]);
      media.push(...added);
    });

    it('refuses to restore into a DATA_DIR that is not empty, and leaves it untouched', async () => {
      const dataDir = dir('packtrail-occupied-');
      fs.writeFileSync(path.join(dataDir, 'packtrail.sqlite'), 'somebody else’s data');
      const restore = await runScript('restore', backupDir, dataDir);
      expect(restore.code).toBe(2);
      expect(restore.stderr).toMatch(/is not empty \(packtrail\.sqlite\)/);
      expect(fs.readdirSync(dataDir)).toEqual(['packtrail.sqlite']);
      expect(fs.readFileSync(path.join(dataDir, 'packtrail.sqlite'), 'utf8')).toBe('somebody else’s data');
    });

    it('refuses a database edited in the backup (its manifest made to match): a media row that differs from its ledger entry is a problem', async () => {
      const editedDir = dir('packtrail-edited-');
      fs.cpSync(backupDir, editedDir, { recursive: true });
      const databaseFile = path.join(editedDir, 'packtrail.sqlite');
      fs.chmodSync(databaseFile, 0o600);
      const edit = new Database(databaseFile);
      edit.prepare('UPDATE media SET received_at = ? WHERE id = ?').run('2020-01-01T00:00:00.000Z', media[0].id);
      edit.close();
      const manifestFile = path.join(editedDir, 'backup-manifest.json');
      const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
      manifest.database.sha256 = sha256OfFile(databaseFile);
      fs.writeFileSync(manifestFile, JSON.stringify(manifest));

      const restore = await runScript('restore', editedDir, freshDataDir());
      expect(restore.code).toBe(1);
      expect(restore.stderr).toMatch(
        new RegExp(`PROBLEM: the database does not match the evidence log: media ${media[0].id}: the database says receive time 2020-01-01T00:00:00.000Z, its entry in the evidence log says 20`),
      );
      expect(restore.stderr.match(/PROBLEM/g)).toHaveLength(1);
    });

    it('reports a tampered original at restore and restores everything else', async () => {
      const tamperedDir = dir('packtrail-tampered-');
      fs.cpSync(backupDir, tamperedDir, { recursive: true });
      const victim = originalFile(tamperedDir, media[1].sha256);
      fs.chmodSync(victim, 0o644);
      const bytes = fs.readFileSync(victim);
      bytes[bytes.length >> 1] ^= 0xff;
      fs.writeFileSync(victim, bytes);

      const dataDir = freshDataDir();
      const restore = await runScript('restore', tamperedDir, dataDir);
      expect(restore.code).toBe(1);
      expect(restore.stderr).toContain(`original ${media[1].sha256} in the backup is damaged`);
      expect(fs.existsSync(originalFile(dataDir, media[1].sha256))).toBe(false);
      for (const item of media.filter((_, i) => i !== 1)) {
        expect(originalProblem(dataDir, { id: item.id, capture_id: captureId, sha256: item.sha256, bytes: fs.statSync(originalFile(backupDir, item.sha256)).size })).toBeUndefined();
      }
    });
  });
});

/** processing_status and playback_status of each restored media row (read beside the running service, as the search workers do). */
function inspectDatabaseStatus(dataDir: string): string[] {
  const db = new Database(path.join(dataDir, 'packtrail.sqlite'), { readonly: true });
  try {
    return db.prepare("SELECT processing_status FROM media UNION ALL SELECT playback_status FROM media WHERE playback_status IS NOT NULL").pluck().all() as string[];
  } finally {
    db.close();
  }
}
