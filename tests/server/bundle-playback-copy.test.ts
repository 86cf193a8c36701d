// A WebM original travels with its MP4 playback copy (stock players on Windows and macOS open no
// WebM): in playback/, labelled in manifest.json as derived, with its own SHA-256 and the original's,
// named in the README and the report; the original itself is untouched and an MP4 original gets none.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ffprobePath } from '../../storage/video';
import { fixture, setUpShop, startServer, tempDir, uploadFiles, type TestServer } from '../helpers/server';

const read = (name: string) => new Uint8Array(fs.readFileSync(fixture(name)));
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

interface ManifestFile {
  path: string;
  bytes: number;
  sha256: string;
  kind: string;
  description: string;
  mediaId?: string;
  derivedFrom?: { path: string; sha256: string };
}

describe('a WebM original in a bundle', () => {
  let server: TestServer;
  let seller: string;
  let disputeId: string;
  let webmId: string;
  let dir: string;
  let manifest: { files: ManifestFile[] };

  beforeAll(async () => {
    server = await startServer();
    const shop = await setUpShop(server);
    seller = await shop.token('seller');
    const packer = (await shop.deviceToken()).token;
    const capture = await (await server.request('POST', '/api/v1/captures', { token: packer, json: { orderId: 'WEBM-1', kind: 'packing' } })).json();
    const upload = await (await uploadFiles(server, packer, capture.id, [
      { name: 'packing.webm', bytes: read('clip.webm'), type: 'video/webm' },
      { name: 'label.mp4', bytes: read('clip.mp4'), type: 'video/mp4' },
    ])).json();
    const ids = (upload.media as { id: string }[]).map((media) => media.id);
    webmId = ids[0];
    await server.request('POST', `/api/v1/captures/${capture.id}/finish`, { token: packer });
    // The playback copy is made in the background after upload.
    for (const id of ids) {
      await vi.waitFor(async () => {
        const media = await (await server.request('GET', `/api/v1/media/${id}`, { token: seller })).json();
        expect(media.playbackStatus).toBe('ready');
      }, { timeout: 60_000, interval: 200 });
    }
    const dispute = await (await server.request('POST', '/api/v1/disputes', { token: seller, json: { orderId: 'WEBM-1', reason: 'item_missing', counterparty: 'marketplace' } })).json();
    disputeId = dispute.id;
    await server.request('POST', `/api/v1/disputes/${disputeId}/evidence`, { token: seller, json: { captureId: capture.id } });

    const response = await server.request('GET', `/api/v1/disputes/${disputeId}/bundle.zip?lang=ko`, { token: seller });
    expect(response.status).toBe(200);
    const work = tempDir('packtrail-playback-bundle-');
    const zip = path.join(work, 'bundle.zip');
    fs.writeFileSync(zip, Buffer.from(await response.arrayBuffer()));
    expect(spawnSync('unzip', ['-t', zip]).status).toBe(0);
    dir = path.join(work, 'unzipped');
    execFileSync('unzip', ['-q', zip, '-d', dir]);
    manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
  });
  afterAll(() => server.close());

  it('holds the MP4 playback copy beside it, labelled derived, with its own hash and the original’s', () => {
    const original = manifest.files.find((file) => file.kind === 'original' && file.mediaId === webmId)!;
    expect(original.path).toMatch(/^media\/01-packing-video-[0-9a-f]{8}\.webm$/);
    const derived = manifest.files.filter((file) => file.kind === 'derived');
    expect(derived).toHaveLength(1);
    const copy = derived[0];
    expect(copy.path).toBe(original.path.replace(/^media\//, 'playback/').replace(/\.webm$/, '.mp4'));
    expect(copy.mediaId).toBe(webmId);
    expect(copy.derivedFrom).toEqual({ path: original.path, sha256: sha256(read('clip.webm')) });
    expect(copy.description).toMatch(/playback copy of media\/01-.*\.webm.*not an original/);

    const bytes = fs.readFileSync(path.join(dir, copy.path));
    expect(copy.bytes).toBe(bytes.length);
    expect(copy.sha256).toBe(sha256(bytes));
    expect(copy.sha256).not.toBe(original.sha256);
    // An MP4 file ("ftyp" box first), the very copy the server plays.
    expect(bytes.subarray(4, 8).toString('latin1')).toBe('ftyp');
    // H.264 in MP4: what the stock players on every desktop and phone open.
    const codec = execFileSync(ffprobePath, ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=codec_name', '-of', 'csv=p=0', path.join(dir, copy.path)]).toString().trim();
    expect(codec).toBe('h264');
  });

  it('keeps the original bit-exact and gives an MP4 original no copy', () => {
    const originals = manifest.files.filter((file) => file.kind === 'original');
    expect(originals).toHaveLength(2);
    expect(Buffer.compare(fs.readFileSync(path.join(dir, originals[0].path)), Buffer.from(read('clip.webm')))).toBe(0);
    expect(fs.readdirSync(path.join(dir, 'media'))).toHaveLength(2);
    expect(fs.readdirSync(path.join(dir, 'playback'))).toHaveLength(1);
    for (const file of manifest.files) {
      const bytes = fs.readFileSync(path.join(dir, file.path));
      expect(sha256(bytes), file.path).toBe(file.sha256);
    }
  });

  it('says what the copy is in the README, in every language, and in the report', () => {
    const readme = fs.readFileSync(path.join(dir, 'README.txt'), 'utf8');
    expect(readme).toMatch(/playback\/ +MP4 copies of WebM videos/);
    expect(readme).toMatch(/playback\/ +WebM을 열지 못하는/);
    expect(readme).toMatch(/playback\/ +伺服器為無法開啟 WebM/);
    const report = execFileSync('pdftotext', ['-enc', 'UTF-8', path.join(dir, 'report.pdf'), '-']).toString().replace(/\s+/g, ' ');
    const copy = manifest.files.find((file) => file.kind === 'derived')!;
    expect(report).toContain('MP4 재생용 사본');
    expect(report).toContain(copy.path);
  });

  it('still verifies offline', () => {
    const verify = spawnSync(process.execPath, ['verification/verify.mjs'], { cwd: dir, encoding: 'utf8' });
    expect(verify.status, verify.stdout + verify.stderr).toBe(0);
  });
});
