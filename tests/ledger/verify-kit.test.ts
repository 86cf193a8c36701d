import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeZip, type ZipEntry } from '../../storage/zip-writer';
import { createVerificationKitService } from '../../server/services/ledger/verification-kit';
import { copyBundle, fixtureFacts, flipByte, makeBundle, tamperings, type BundleOnDisk } from './bundle-fixture';
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
      else entries.push({ path: `${prefix}${name}`, size: fs.statSync(full).size, file: full });
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
