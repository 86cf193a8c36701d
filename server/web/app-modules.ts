// Files the server makes for the browser apps, in memory: the packer app, which has no build step of
// its own, gets the vocabulary's codes and its translations as ES modules made from the server's own
// sources, and the shared client core (server/web/shared) bundled by esbuild into one module — the
// very code the dashboard's bundle holds — so no app keeps a hand copy of any of them.
import { createRequire } from 'node:module';
import type { BuildOptions, Plugin } from 'esbuild';
import * as vocabulary from '../domain/vocabulary';
import { translations } from '../i18n';
import { projectPath } from '../paths';

// esbuild's JavaScript API (about 13 MB resident) is required when the first build runs, not at start:
// the service builds its browser files on the first request for them, and most starts never do.
const esbuild = () => createRequire(import.meta.url)('esbuild') as typeof import('esbuild');

/** Files by the name the app asks for. */
export type MadeFiles = Map<string, Buffer>;

/** How every browser app is compiled: the browsers packing phones and shop computers run. */
export const browserBuild = {
  absWorkingDir: projectPath(),
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: ['chrome100', 'safari15', 'firefox100'],
  legalComments: 'none',
  charset: 'utf8',
  write: false,
  logLevel: 'silent',
} satisfies BuildOptions;

/** Every value as `export const name = <JSON>;`, under a line saying where to edit it. */
function dataModule(source: string, values: Record<string, unknown>): string {
  const banner = `// Made by the server from ${source}; edit that, not this.\n`;
  return banner + Object.entries(values).map(([name, value]) => `export const ${name} = ${JSON.stringify(value)};\n`).join('');
}

/** The shared core imports the vocabulary; the packer app already has it as vocabulary.js. */
const vocabularyAsPackModule: Plugin = {
  name: 'vocabulary-as-pack-module',
  setup(builder) {
    builder.onResolve({ filter: /\/domain\/vocabulary$/ }, () => ({ path: './vocabulary.js', external: true }));
  },
};

/** The shared client core as one readable module (not minified: the app's own files are not either). */
async function sharedCore(): Promise<Buffer> {
  const result = await esbuild().build({
    ...browserBuild,
    entryPoints: [projectPath('server', 'web', 'shared', 'index.ts')],
    plugins: [vocabularyAsPackModule],
    banner: { js: '// Made by the server from server/web/shared; edit that, not this.' },
  });
  return Buffer.from(result.outputFiles[0].contents);
}

/** The files the packer app imports that the server makes, by their name in /pack/. */
export async function packAppModules(): Promise<MadeFiles> {
  return new Map([
    ['vocabulary.js', Buffer.from(dataModule('server/domain/vocabulary.ts', vocabulary))],
    ['translations.js', Buffer.from(dataModule('server/i18n/pack/<language>.json', { messages: translations.pack }))],
    ['shared.js', await sharedCore()],
  ]);
}
