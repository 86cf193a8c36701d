import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeZip, type ZipEntry } from '../../storage/zip-writer';
import { copyBundle, flipByte, makeBundle, type BundleOnDisk } from './bundle-fixture';

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

  it('writes checkpoint, key, proofs and both verifiers into verification/', () => {
    const names = fs.readdirSync(path.join(bundle.bundleDir, 'verification')).sort();
    expect(names).toEqual(['README.txt', 'checkpoint.txt', 'key.txt', 'proofs.json', 'verify.html', 'verify.mjs']);
    const proofs = JSON.parse(fs.readFileSync(path.join(bundle.bundleDir, 'verification/proofs.json'), 'utf8'));
    expect(proofs).toMatchObject({ format: 'packtrail-verification/v1', treeSize: 51 });
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
