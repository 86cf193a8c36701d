// verifier/timestamp.js made self-contained for the offline verifiers: esbuild bundles it with
// PKI.js, asn1js and their dependencies, once as an ES module (verification/timestamp.mjs, imported
// by verify.mjs) and once as a classic script that sets `packtrailTimestamp` (inlined into
// verify.html, which opened from disk can load nothing else). The licences of what is bundled lead
// each output, as their BSD and MIT terms ask of copies.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import type { BuildOptions, BuildResult, Metafile } from 'esbuild';
import { projectPath } from '../../paths';

// esbuild's JavaScript API (about 13 MB resident) is required when the first build runs, not at start:
// the service builds its browser files on the first request for them, and most starts never do.
const esbuild = () => createRequire(import.meta.url)('esbuild') as typeof import('esbuild');

export interface TimestampModules {
  /** ES module text for verification/timestamp.mjs. */
  module: string;
  /** Classic script text for verify.html; defines globalThis.packtrailTimestamp. */
  script: string;
}

const entry = projectPath('server', 'services', 'ledger', 'verifier', 'timestamp.js');

const common = {
  absWorkingDir: projectPath(),
  entryPoints: [entry],
  bundle: true,
  // Browsers from 2022 on and Node 18: every place a claims agent may open a bundle.
  target: ['chrome100', 'firefox100', 'safari15', 'node18'],
  platform: 'browser',
  minify: true,
  legalComments: 'none',
  charset: 'utf8',
  write: false,
  metafile: true,
  logLevel: 'silent',
} satisfies BuildOptions;

const moduleOptions = { ...common, format: 'esm' } satisfies BuildOptions;
const scriptOptions = { ...common, format: 'iife', globalName: 'packtrailTimestamp' } satisfies BuildOptions;

/** The folder of the npm package a bundled file belongs to, e.g. node_modules/pkijs. */
function packageDir(input: string): string | undefined {
  const match = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
  return match?.[1];
}

/** Each bundled package's name, version and licence text, as one leading comment. */
function licenceBanner(metafile: Metafile): string {
  const dirs = [...new Set(Object.keys(metafile.inputs).map(packageDir).filter((dir): dir is string => dir !== undefined))].sort();
  // A package can be bundled from two places (nested copies); its licence is listed once.
  const parts = new Map<string, string>();
  for (const dir of dirs) {
    const absolute = path.resolve(projectPath(), dir);
    const manifest = JSON.parse(fs.readFileSync(path.join(absolute, 'package.json'), 'utf8')) as { name: string; version: string; license?: string };
    const licenceFile = fs.readdirSync(absolute).find((name) => /^licen[cs]e/i.test(name));
    const text = licenceFile ? fs.readFileSync(path.join(absolute, licenceFile), 'utf8').trim() : `Licence: ${manifest.license ?? 'see the package'}`;
    parts.set(`${manifest.name} ${manifest.version}`, text);
  }
  const body = [
    'Packtrail time-stamp check (server/services/ledger/verifier/timestamp.js) bundled with the packages below.',
    ...[...parts].map(([name, text]) => `${name}\n\n${text}`),
  ].join('\n\n----------------------------------------------------------------\n\n');
  return `/*\n${body.replace(/\*\//g, '* /')}\n*/\n`;
}

function textOf(result: BuildResult<typeof common>): string {
  const code = result.outputFiles[0].text;
  return licenceBanner(result.metafile) + code;
}

function checked(modules: TimestampModules): TimestampModules {
  if (/<\/script/i.test(modules.script)) throw new Error('the bundled time-stamp check cannot be inlined into verify.html: it contains "</script"');
  return modules;
}

export async function buildTimestampModules(): Promise<TimestampModules> {
  const [moduleResult, scriptResult] = await Promise.all([esbuild().build(moduleOptions), esbuild().build(scriptOptions)]);
  return checked({ module: textOf(moduleResult), script: textOf(scriptResult) });
}

/** The same, blocking: for a kit built before `buildTimestampModules` was awaited. */
export function buildTimestampModulesSync(): TimestampModules {
  return checked({ module: textOf(esbuild().buildSync(moduleOptions)), script: textOf(esbuild().buildSync(scriptOptions)) });
}
