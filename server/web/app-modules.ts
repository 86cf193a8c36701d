// ES modules made at startup from the server's own sources, for browser apps without a build step
// (the packer app): the vocabulary's codes and the app's translations, so no app keeps a hand copy
// of either. An app with a bundler imports server/domain and server/i18n directly instead.
import * as vocabulary from '../domain/vocabulary';
import { translations } from '../i18n';

/** Every value as `export const name = <JSON>;`, under a line saying where to edit it. */
function dataModule(source: string, values: Record<string, unknown>): string {
  const banner = `// Made by the server from ${source}; edit that, not this.\n`;
  return banner + Object.entries(values).map(([name, value]) => `export const ${name} = ${JSON.stringify(value)};\n`).join('');
}

/** The files the packer app imports that the server makes, by their name in /pack/. */
export function packAppModules(): Record<string, string> {
  return {
    'vocabulary.js': dataModule('server/domain/vocabulary.ts', vocabulary),
    'translations.js': dataModule('server/i18n/pack/<language>.json', { messages: translations.pack }),
  };
}
