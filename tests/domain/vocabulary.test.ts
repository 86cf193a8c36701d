// The vocabulary is declared once: the API's schemas and the packer app take their codes from it.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as vocabulary from '../../server/domain/vocabulary';
import { projectPath } from '../../server/paths';
import { startServer, type TestServer } from '../helpers/server';

const lists = (Object.entries(vocabulary) as [string, unknown][]).filter((entry): entry is [string, string[]] => Array.isArray(entry[1]));
const webFiles = (dir: string) =>
  (fs.readdirSync(projectPath(dir), { recursive: true }) as string[])
    .filter((file) => /\.(js|html|ts)$/.test(file))
    .map((file) => ({ file: path.join(dir, file), text: fs.readFileSync(projectPath(dir, file), 'utf8') }));

describe('the vocabulary', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.close());

  it('reaches the packer app as a module made from the server’s own declaration', async () => {
    const response = await fetch(`${server.url}/pack/vocabulary.js`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/javascript');
    const served = await import(`data:text/javascript,${encodeURIComponent(await response.text())}`);
    for (const [name, value] of Object.entries(vocabulary)) expect(served[name], name).toEqual(value);
  });

  it('is part of the packer app’s offline shell', async () => {
    const worker = await (await fetch(`${server.url}/pack/sw.js`)).text();
    expect(worker).toContain('"vocabulary.js"');
  });

  it('is not copied by hand into the browser apps', () => {
    for (const { file, text } of [...webFiles('server/web'), { file: 'verify-page.html', text: fs.readFileSync(projectPath('server/services/ledger/verifier/verify-page.html'), 'utf8') }]) {
      for (const [name, values] of lists) {
        if (values.length < 3) continue;
        // A list written out again: its first codes in a row, quoted.
        const copy = new RegExp(values.slice(0, 3).map((value) => `['"]${value}['"]`).join('\\s*,\\s*'));
        expect(copy.test(text), `${file} repeats ${name}`).toBe(false);
      }
    }
  });

  it('names Traditional Chinese zh-TW in the API, the packer app and the verifier page alike', async () => {
    expect(vocabulary.languages).toContain('zh-TW');
    const packPage = await (await fetch(`${server.url}/pack/`)).text();
    const verifier = fs.readFileSync(projectPath('server/services/ledger/verifier/verify-page.html'), 'utf8');
    for (const page of [packPage, verifier]) {
      expect(page).toContain('<option value="zh-TW">');
      expect(page).not.toContain('zh-Hant"');
    }
  });
});
