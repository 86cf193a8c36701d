// Every audience speaks every language of the vocabulary with the same keys, and labels every term.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as vocabulary from '../../server/domain/vocabulary';
import { translations, vocabularyLabels, type Audience } from '../../server/i18n';
import { projectPath } from '../../server/paths';
import { startServer, type TestServer } from '../helpers/server';

const PLURAL_FORMS = new Set(['zero', 'one', 'two', 'few', 'many', 'other']);
const isPlural = (value: object) => 'other' in value && Object.keys(value).every((key) => PLURAL_FORMS.has(key));

type Leaf = string | ((...args: never[]) => unknown) | Record<string, string>;

/** Every message by its dotted path; a plural message (one/other…) is one message. */
function flatten(messages: object, prefix = ''): Map<string, Leaf> {
  const flat = new Map<string, Leaf>();
  for (const [key, value] of Object.entries(messages)) {
    const path = prefix + key;
    if (value && typeof value === 'object' && !isPlural(value)) for (const entry of flatten(value, `${path}.`)) flat.set(...entry);
    else flat.set(path, value);
  }
  return flat;
}

const kind = (leaf: Leaf) => (typeof leaf === 'function' ? `function of ${leaf.length}` : 'text');
const placeholders = (leaf: Leaf) =>
  [...new Set((typeof leaf === 'string' ? [leaf] : typeof leaf === 'object' ? Object.values(leaf) : []).flatMap((text) => text.match(/\{\w+\}/g) ?? []))].sort();

/** What one language gets wrong against the reference: keys missing, keys extra, a different kind or placeholders. */
function differences(reference: object, other: object): string[] {
  const expected = flatten(reference);
  const actual = flatten(other);
  const problems: string[] = [];
  for (const [key, leaf] of expected) {
    const theirs = actual.get(key);
    if (theirs === undefined) problems.push(`missing ${key}`);
    else if (kind(theirs) !== kind(leaf)) problems.push(`${key} is a ${kind(theirs)}, not a ${kind(leaf)}`);
    else if (placeholders(theirs).join() !== placeholders(leaf).join()) problems.push(`${key} has ${placeholders(theirs)}, not ${placeholders(leaf)}`);
    else if (typeof theirs === 'string' && theirs.trim() === '') problems.push(`${key} is empty`);
  }
  for (const key of actual.keys()) if (!expected.has(key)) problems.push(`extra ${key}`);
  return problems;
}

const audiences = Object.keys(translations) as Audience[];

describe('translations', () => {
  it('find a missing, an extra or a mistyped key', () => {
    const reference = { a: 'A {name}', b: { c: 'C' }, d: { one: '1 file', other: '{count} files' }, f: (n: number) => `${n}` };
    expect(differences(reference, { a: 'A {name}', b: { c: 'C' }, d: '{count} 파일', f: (n: number) => `${n}` })).toEqual([]);
    expect(differences(reference, { a: 'A {name}', b: {}, d: 'x {count}', f: () => '', e: 'E' })).toEqual([
      'missing b.c', 'f is a function of 0, not a function of 1', 'extra e',
    ]);
    expect(differences(reference, { a: 'A', b: { c: '' }, d: 'x {count}', f: (n: number) => `${n}` })).toEqual(['a has , not {name}', 'b.c is empty']);
  });

  it.each(audiences)('for %s exist in every language, with exactly the keys of the English', (audience) => {
    const byLanguage = translations[audience] as Record<string, object>;
    expect(Object.keys(byLanguage).sort()).toEqual([...vocabulary.languages].sort());
    for (const language of vocabulary.languages) expect(differences(byLanguage.en, byLanguage[language]), language).toEqual([]);
  });

  it.each(audiences)('for %s label every vocabulary term they show, in every language', (audience) => {
    for (const language of vocabulary.languages) {
      const messages = flatten((translations[audience] as Record<string, object>)[language]);
      for (const [list, prefix] of vocabularyLabels[audience]) {
        for (const code of vocabulary[list]) expect(messages.get(prefix + code), `${language} ${prefix}${code}`).toBeTruthy();
      }
    }
  });

  it('offer the vocabulary’s languages, no more and no fewer, in the packer app and the verifier page', () => {
    for (const file of ['server/web/pack/index.html', 'server/services/ledger/verifier/verify-page.html']) {
      const html = fs.readFileSync(projectPath(file), 'utf8');
      const select = html.slice(html.indexOf('<select id="language"'), html.indexOf('</select>'));
      const offered = [...select.matchAll(/<option value="([^"]+)"/g)].map((match) => match[1]);
      expect(offered.sort(), file).toEqual([...vocabulary.languages].sort());
    }
  });
});

describe('the verifier page', () => {
  it('shows, before its script runs, exactly the English of server/i18n/verifier', () => {
    const html = fs.readFileSync(projectPath('server/services/ledger/verifier/verify-page.html'), 'utf8');
    const shown = [...html.matchAll(/data-label="(\w+)">([^<]*)</g)];
    expect(shown.length).toBeGreaterThan(5);
    for (const [, key, text] of shown) expect(text, key).toBe(translations.verifier.en[key as keyof typeof translations.verifier.en]);
  });
});

describe('the packer app’s translations', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.close());

  it('reach it as a module made from server/i18n/pack', async () => {
    const response = await fetch(`${server.url}/pack/translations.js`);
    expect(response.status).toBe(200);
    const served = await import(`data:text/javascript,${encodeURIComponent(await response.text())}`);
    expect(served.messages).toEqual(translations.pack);
    expect(await (await fetch(`${server.url}/pack/sw.js`)).text()).toContain('"translations.js"');
  });
});
