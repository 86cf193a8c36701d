import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileReadable } from '../../storage/file-readable';
import { writeZip, type ZipEntry } from '../../storage/zip-writer';
import { createVerificationKitService } from '../../server/services/ledger/verification-kit';
import { copyBundle, editFactsEntry, fixtureFacts, flipByte, makeBundle, swapPhotoForVideo, tamperings, type BundleOnDisk } from './bundle-fixture';
import { sha256Hex } from './ledger-fixture';

const repoRoot = path.resolve(import.meta.dirname, '../..');

/** Runs the bundle's own verify.mjs from the bundle folder, as a claims agent would. */
function runVerifyScript(bundleDir: string): { status: number | null; output: string } {
  const result = spawnSync(process.execPath, ['verification/verify.mjs'], { cwd: bundleDir, encoding: 'utf8' });
  return { status: result.status, output: result.stdout + result.stderr };
}

function runNpmVerify(target: string): { status: number | null; output: string } {
  const result = spawnSync(path.join(repoRoot, 'node_modules/.bin/tsx'), ['scripts/verify.ts', target], { cwd: repoRoot, encoding: 'utf8' });
  return { status: result.status, output: result.stdout + result.stderr };
}

async function zipFolder(folder: string, zipFile: string): Promise<void> {
  const entries: ZipEntry[] = [];
  const walk = (dir: string, prefix: string) => {
    for (const name of fs.readdirSync(dir)) {
      const full = path.join(dir, name);
      if (fs.statSync(full).isDirectory()) walk(full, `${prefix}${name}/`);
      else entries.push({ path: `${prefix}${name}`, size: fs.statSync(full).size, open: () => FileReadable.open(full) });
    }
  };
  walk(folder, '');
  await writeZip(entries, { mtime: new Date() }, fs.createWriteStream(zipFile));
}

function editFile(file: string, edit: (text: string) => string): void {
  const before = fs.readFileSync(file, 'utf8');
  const after = edit(before);
  expect(after).not.toBe(before);
  fs.writeFileSync(file, after);
}

describe('the offline verifier script in a bundle', () => {
  let bundle: BundleOnDisk;

  beforeAll(async () => {
    bundle = await makeBundle();
  });
  afterAll(() => bundle.open.close());

  it('writes checkpoint, key, proofs, capture facts, the export statement and both verifiers into verification/', () => {
    const names = fs.readdirSync(path.join(bundle.bundleDir, 'verification')).sort();
    expect(names).toEqual([
      'README.txt', 'capture-facts.json', 'checkpoint.txt', 'export-statement.txt', 'key.txt', 'proofs.json', 'verify.html', 'verify.mjs',
    ]);
    const proofs = JSON.parse(fs.readFileSync(path.join(bundle.bundleDir, 'verification/proofs.json'), 'utf8'));
    expect(proofs).toMatchObject({ format: 'packtrail-verification/v2', treeSize: 51 });
    const facts = JSON.parse(fs.readFileSync(path.join(bundle.bundleDir, 'verification/capture-facts.json'), 'utf8'));
    expect(facts).toMatchObject({
      format: 'packtrail-capture-facts-proofs/v1',
      treeSize: 51,
      captures: [{ captureId: bundle.captureId, leafIndex: bundle.factsIndex }],
      notInLog: [{ captureId: bundle.oldCaptureId, kind: 'unboxing', reason: expect.stringMatching(/^finished before capture facts were recorded/) }],
    });
    expect(proofs.files.map((f: { path: string; leafIndex: number }) => [f.path, f.leafIndex])).toEqual([
      [bundle.photoPath, 37],
      [bundle.videoPath, 38],
    ]);
    const script = fs.readFileSync(path.join(bundle.bundleDir, 'verification/verify.mjs'), 'utf8');
    expect(script).not.toMatch(/^import .*verify-core/m);
  });

  it('reports every original verified and exits 0 when nothing was changed', () => {
    const { status, output } = runVerifyScript(bundle.bundleDir);
    expect(output).toContain(`verified  ${bundle.photoPath}`);
    expect(output).toContain(`verified  ${bundle.videoPath}`);
    expect(output).toContain('Checkpoint:  signature valid');
    expect(output).toContain('RESULT: every file verified');
    expect(status).toBe(0);
  });

  it('shows the capture facts as verified, and says which files the log proves and which were made at export', () => {
    const { status, output } = runVerifyScript(bundle.bundleDir);
    expect(status).toBe(0);
    const section = (heading: string) => output.slice(output.indexOf(heading), output.indexOf('\n\n', output.indexOf(heading)));
    const originals = section('ORIGINALS, each proven byte for byte by its entry in the log:');
    expect(originals).toContain(`verified  ${bundle.photoPath}`);
    expect(originals).not.toContain('report.pdf');
    const facts = section('CAPTURE FACTS, each proven by its entry in the log:');
    expect(facts.split('\n').slice(1)).toEqual([
      `verified  packing capture ${bundle.captureId}, order ORDER-7, log entry ${bundle.factsIndex}`,
      '          station "Station 2"; recorded by device "Station 2 phone" (d0000000-0000-4000-8000-00000000000d)',
      "          started 2026-05-01T05:03:00.000Z, finished 2026-05-01T05:09:30.000Z (the server's clock)",
      '          weight 985 g (entered as 0.985 kg); expected then 970 g',
      '          tracking number "601234567890"',
      '          checklist: "outer_box" ok; "seal" issue ("Tape lifted\\non one side")',
      '          media: 2 files, each by its SHA-256',
      `not in the log  unboxing capture ${bundle.oldCaptureId}: finished before capture facts were recorded in the log; its facts were never signed`,
    ]);
    const documents = section('DOCUMENTS MADE AT EXPORT, covered by the signed export statement (not by the log):');
    for (const name of ['README.txt', 'report.pdf', 'manifest.json', 'verification/verify.html', 'verification/capture-facts.json']) {
      expect(documents).toContain(`verified  ${name}  (`);
    }
    expect(documents).not.toContain('media/');
    expect(output).toContain('Export:      statement signed by the same key: exported 2026-05-02T01:00:00.000Z');
  });

  it.each(tamperings)('names $name and exits 1', ({ name, edit, names }) => {
    const copy = copyBundle(bundle, `tampered-${name.replace(/\W+/g, '-')}`);
    edit(copy, bundle);
    const { status, output } = runVerifyScript(copy);
    expect(output).toMatch(names);
    expect(output).toContain('RESULT: verification FAILED');
    expect(status).toBe(1);
    // The originals themselves were not touched, and are still shown as verified.
    if (!name.includes('statement')) expect(output).toContain(`verified  ${bundle.videoPath}`);
  });

  it('refuses capture facts swapped in from another bundle of the same shop, naming the other order', () => {
    // Another order's capture, logged and exported from the same ledger.
    const other = { ...fixtureFacts([{ id: 'other-1', sha256: sha256Hex('other') }]), captureId: 'c0ffee00-0000-4000-8000-0000000000ff', orderId: 'ORDER-99', weight: null };
    bundle.open.ledger.appendCaptureFacts(other);
    const otherKit = createVerificationKitService({ ledger: bundle.open.ledger }).buildVerificationKit(
      [{ mediaId: 'photo-1', path: bundle.photoPath }],
      [{ id: other.captureId, kind: 'packing', finished: true }],
    );
    const copy = copyBundle(bundle, 'swapped-facts');
    const swapped = otherKit.files.find((file) => file.path === 'verification/capture-facts.json')!;
    fs.writeFileSync(path.join(copy, swapped.path), swapped.content);
    const { status, output } = runVerifyScript(copy);
    expect(status).toBe(1);
    expect(output).toMatch(/- capture facts: the facts of capture c0ffee00-0000-4000-8000-0000000000ff are not in the signed export statement: they were added or swapped after export/);
    expect(output).toMatch(/- capture facts: these are the facts of a capture on order ORDER-99; this bundle is for order ORDER-7/);
    expect(output).toMatch(/- capture facts: the facts of capture c0ffee00-0000-4000-8000-000000000001 were removed/);
    expect(output).toMatch(/- document: verification\/capture-facts\.json was changed after export/);
  });

  it('leaves the litter of unzip tools and operating systems alone', () => {
    const copy = copyBundle(bundle, 'with-litter');
    fs.writeFileSync(path.join(copy, '.DS_Store'), 'finder');
    fs.mkdirSync(path.join(copy, '__MACOSX/media'), { recursive: true });
    fs.writeFileSync(path.join(copy, '__MACOSX/media/._packing-photo.jpg'), 'resource fork');
    const { status, output } = runVerifyScript(copy);
    expect(output).toContain('RESULT: every file verified');
    expect(status).toBe(0);
  });

  it('names the file bytes when one byte of an original changed', () => {
    const copy = copyBundle(bundle, 'flipped-original');
    flipByte(path.join(copy, bundle.videoPath), 1000);
    const { status, output } = runVerifyScript(copy);
    expect(status).toBe(1);
    expect(output).toContain(`FAILED    ${bundle.videoPath}`);
    expect(output).toMatch(/- file bytes: the file's bytes differ from the original/);
    expect(output).toContain(`verified  ${bundle.photoPath}`);
  });

  it('names the ledger entry when an entry was edited', () => {
    const copy = copyBundle(bundle, 'edited-entry');
    editFile(path.join(copy, 'verification/proofs.json'), (text) => text.replace('\\nkind packing\\n', '\\nkind unboxing\\n'));
    const { status, output } = runVerifyScript(copy);
    expect(status).toBe(1);
    expect(output).toMatch(/- ledger entry: the ledger entry was altered/);
    expect(output).not.toMatch(/- inclusion proof:/);
  });

  it('names the inclusion proof when a proof hash was changed', () => {
    const copy = copyBundle(bundle, 'edited-proof');
    const file = path.join(copy, 'verification/proofs.json');
    const proofs = JSON.parse(fs.readFileSync(file, 'utf8'));
    const hash: string = proofs.files[0].proof[2];
    proofs.files[0].proof[2] = (hash[0] === '0' ? '1' : '0') + hash.slice(1);
    fs.writeFileSync(file, JSON.stringify(proofs, null, 2));
    const { status, output } = runVerifyScript(copy);
    expect(status).toBe(1);
    expect(output).toContain(`FAILED    ${bundle.photoPath}`);
    expect(output).toMatch(/- inclusion proof: the inclusion proof for leaf 37 does not lead to the checkpoint's root hash/);
    expect(output).toContain(`verified  ${bundle.videoPath}`);
  });

  it('names the checkpoint signature when one byte of the checkpoint changed', () => {
    const copy = copyBundle(bundle, 'edited-checkpoint');
    editFile(path.join(copy, 'verification/checkpoint.txt'), (text) => text.replace(/^51$/m, '52'));
    const { status, output } = runVerifyScript(copy);
    expect(status).toBe(1);
    expect(output).toMatch(/Checkpoint: {2}FAILED: the checkpoint signature is not valid/);
    expect(output).toMatch(/- checkpoint signature:/);
    expect(output).not.toContain('verified  media/');
  });

  it('fails a bundle whose checkpoint was re-signed by another key', () => {
    const copy = copyBundle(bundle, 'other-key');
    editFile(path.join(copy, 'verification/key.txt'), () => 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW\n');
    const { status, output } = runVerifyScript(copy);
    expect(status).toBe(1);
    expect(output).toMatch(/checkpoint signature is not valid: it carries no signature by PeterNeumann/);
  });

  it('reports a missing original, and refuses a proofs.json that points outside the bundle', () => {
    const copy = copyBundle(bundle, 'missing-and-escaping');
    fs.rmSync(path.join(copy, bundle.photoPath));
    editFile(path.join(copy, 'verification/proofs.json'), (text) => text.replace(`"${bundle.videoPath}"`, '"../../etc/passwd"'));
    const { status, output } = runVerifyScript(copy);
    expect(status).toBe(1);
    expect(output).toMatch(/- file bytes: the file is missing from the bundle/);
    expect(output).toMatch(/- file bytes: "..\/..\/etc\/passwd" is not a path inside the bundle/);
  });

  it('checks a bundle ZIP or folder with npm run verify, exactly as verify.mjs does', async () => {
    const zipFile = path.join(bundle.open.dir, 'bundle.zip');
    await zipFolder(bundle.bundleDir, zipFile);
    const zipped = runNpmVerify(zipFile);
    expect(zipped.output).toContain(`verified  ${bundle.videoPath}`);
    expect(zipped.status).toBe(0);
    expect(runNpmVerify(bundle.bundleDir).status).toBe(0);

    const copy = copyBundle(bundle, 'flipped-for-zip');
    flipByte(path.join(copy, bundle.photoPath), 500);
    const damagedZip = path.join(bundle.open.dir, 'damaged.zip');
    await zipFolder(copy, damagedZip);
    const damaged = runNpmVerify(damagedZip);
    expect(damaged.status).toBe(1);
    expect(damaged.output).toContain(`FAILED    ${bundle.photoPath}`);
    expect(damaged.output).toMatch(/- file bytes:/);
  });
});

describe('what a verified bundle says about whose key signed it, and what it could not check', () => {
  let published: BundleOnDisk;
  let unpublished: BundleOnDisk;

  beforeAll(async () => {
    [published, unpublished] = await Promise.all([makeBundle({ publicUrl: 'https://evidence.acme.example' }), makeBundle()]);
  });
  afterAll(() => {
    published?.open.close();
    unpublished?.open.close();
  });

  const keyOf = (bundle: BundleOnDisk) => fs.readFileSync(path.join(bundle.bundleDir, 'verification/key.txt'), 'utf8').trim();
  // The key itself: everything after the name and the key hash (its base64 may hold a "+" too).
  const fingerprintOf = (bundle: BundleOnDisk) => keyOf(bundle).split('+').slice(2).join('+');

  it('signs where the shop publishes its key, and ends the result naming the key and that address', () => {
    const statement = fs.readFileSync(path.join(published.bundleDir, 'verification/export-statement.txt'), 'utf8');
    expect(statement).toContain(`\nkey ${keyOf(published)}\nkey-published https://evidence.acme.example/api/v1/ledger/key\n`);
    const readme = fs.readFileSync(path.join(published.bundleDir, 'verification/README.txt'), 'utf8');
    expect(readme).toContain('The shop publishes its key at https://evidence.acme.example/api/v1/ledger/key');
    expect(readme).toContain(fingerprintOf(published));
    const { status, output } = runVerifyScript(published.bundleDir);
    expect(status).toBe(0);
    expect(output.trim().split('\n').slice(-3)).toEqual([
      `RESULT: every file verified against log key ${fingerprintOf(published)} ("packtrail.test/shop").`,
      'This proves the files are unchanged since that log recorded them.',
      "Confirm the key is the shop's own: compare it with https://evidence.acme.example/api/v1/ledger/key",
    ]);
  });

  it('says plainly when the bundle does not say where the key is published', () => {
    const statement = fs.readFileSync(path.join(unpublished.bundleDir, 'verification/export-statement.txt'), 'utf8');
    expect(statement).not.toContain('key-published');
    expect(fs.readFileSync(path.join(unpublished.bundleDir, 'verification/README.txt'), 'utf8')).toContain('ask the shop for it');
    const { status, output } = runVerifyScript(unpublished.bundleDir);
    expect(status).toBe(0);
    expect(output.trim().split('\n').slice(-1)).toEqual([
      "Confirm the key is the shop's own: this bundle does not say where the shop publishes its key; ask the shop for it.",
    ]);
  });

  it('names a different key for another installation under the same log name', () => {
    // Both fixtures are logs named packtrail.test/shop, each with the key its own install made.
    const resultLine = (bundle: BundleOnDisk) => runVerifyScript(bundle.bundleDir).output.split('\n').find((line) => line.startsWith('RESULT:'))!;
    expect(fingerprintOf(published)).not.toBe(fingerprintOf(unpublished));
    expect(resultLine(published)).toContain(fingerprintOf(published));
    expect(resultLine(unpublished)).toContain(fingerprintOf(unpublished));
    expect(resultLine(unpublished)).not.toContain(fingerprintOf(published));
  });

  it('refuses a key address edited into the statement, since the statement is signed', () => {
    const copy = copyBundle(published, 'other-key-address');
    editFile(path.join(copy, 'verification/export-statement.txt'), (text) => text.replace('https://evidence.acme.example', 'https://evil.example'));
    const { status, output } = runVerifyScript(copy);
    expect(status).toBe(1);
    expect(output).not.toContain('evil.example/api/v1/ledger/key: compare');
    expect(output).toContain('RESULT: verification FAILED');
  });

  it('lists every document as NOT CHECKED without the export statement, and calls the capture facts checked against the log only', () => {
    const copy = copyBundle(published, 'no-statement');
    fs.rmSync(path.join(copy, 'verification/export-statement.txt'));
    const { status, output } = runVerifyScript(copy);
    expect(status).toBe(1);
    for (const document of ['README.txt', 'report.pdf', 'manifest.json', 'verification/verify.html', 'verification/capture-facts.json']) {
      expect(output).toContain(`NOT CHECKED – no signed export statement: ${document}\n`);
    }
    expect(output).not.toMatch(/NOT CHECKED.*media\//);
    expect(output).toContain(`log only  packing capture ${published.captureId}, order ORDER-7, log entry ${published.factsIndex}`);
    expect(output).toContain("checked against the log; this bundle's copy of them could not be matched to the export");
    expect(output).not.toMatch(/^verified  packing capture/m);
    expect(output).toContain('Capture facts 1: 1 checked against the log only, 0 failed');
    expect(output).toContain('RESULT: verification FAILED');
  });

  it('shows a changed capture by the values the log recorded, naming the changed field', () => {
    const copy = copyBundle(published, 'weight-905');
    editFactsEntry(copy, (entry) => entry.replace('weight-grams 985\n', 'weight-grams 905\n'));
    const { output } = runVerifyScript(copy);
    const block = output.slice(output.indexOf(`FAILED    packing capture ${published.captureId}`));
    const lines = block.split('\n');
    expect(lines[1]).toBe('          as the log recorded them:');
    expect(block.indexOf('weight 985 g (entered as 0.985 kg)')).toBeGreaterThan(0);
    expect(block.indexOf('changed in this bundle: weight')).toBeGreaterThan(block.indexOf('weight 985 g'));
    expect(block.slice(0, block.indexOf('changed in this bundle'))).not.toContain('905');
    expect(block).toContain('the weight was changed: the log recorded "985 g", this bundle says "905 g"');
  });

  it('explains a swapped photo by the hash the export statement records', () => {
    const copy = copyBundle(published, 'swapped-photo');
    swapPhotoForVideo(copy, published);
    const { status, output } = runVerifyScript(copy);
    expect(status).toBe(1);
    expect(output).toContain(`FAILED    ${published.photoPath}`);
    expect(output).toMatch(new RegExp(`the export statement records SHA-256 [0-9a-f]{64} for ${published.photoPath}; the proof is for another file`));
  });

  it('passes an older bundle without a statement on its originals only, never claiming its other files', () => {
    const copy = copyBundle(published, 'older-format');
    fs.rmSync(path.join(copy, 'verification/export-statement.txt'));
    editFile(path.join(copy, 'verification/proofs.json'), (text) => text.replace('packtrail-verification/v2', 'packtrail-verification/v1'));
    const { status, output } = runNpmVerify(copy);
    expect(status, output).toBe(0);
    expect(output).toContain('NOT CHECKED – no signed export statement: report.pdf\n');
    expect(output).toContain(`RESULT: every original verified against log key ${fingerprintOf(published)} ("packtrail.test/shop"); 10 other files NOT CHECKED.`);
    expect(output).not.toContain('RESULT: every file verified');
  });

  it('says in one sentence that a truncated or damaged ZIP cannot be read, with no stack trace', async () => {
    const zipFile = path.join(published.open.dir, 'whole.zip');
    await zipFolder(published.bundleDir, zipFile);
    const whole = fs.readFileSync(zipFile);
    const truncated = path.join(published.open.dir, 'truncated.zip');
    fs.writeFileSync(truncated, whole.subarray(0, Math.floor(whole.length / 2)));
    const cut = runNpmVerify(truncated);
    expect(cut.status).toBe(2);
    expect(cut.output.trim().split('\n')).toEqual([expect.stringMatching(/^This ZIP is damaged or incomplete: .+\. Download or copy the bundle again and check the new copy\.$/)]);

    // The directory intact, the local header of an original broken: found only when it is read.
    const damagedInside = Buffer.from(whole);
    const photoAt = damagedInside.indexOf(fs.readFileSync(path.join(published.bundleDir, published.photoPath)));
    const headerAt = damagedInside.lastIndexOf(Buffer.from('PK\x03\x04', 'latin1'), photoAt);
    expect(headerAt).toBeGreaterThanOrEqual(0);
    damagedInside[headerAt + 2] = 0;
    const corrupt = path.join(published.open.dir, 'corrupt.zip');
    fs.writeFileSync(corrupt, damagedInside);
    const broken = runNpmVerify(corrupt);
    expect(broken.output).not.toMatch(/^\s+at /m);
    expect(broken.output.trim().split('\n')).toEqual([expect.stringMatching(/^This ZIP is damaged or incomplete: /)]);
    expect(broken.status).toBe(2);
  });
});
