// The one place the seller dashboard (server/web/dashboard) becomes browser files: esbuild bundles
// main.tsx with Preact, the shared client core, the vocabulary and the translations into minified
// ES modules and one stylesheet, in memory. The server builds it on the first request for it
// (server/routes/web.routes.ts) and keeps it.
import path from 'node:path';
import { createRequire } from 'node:module';
import { projectPath } from '../../paths';
import { browserBuild, type MadeFiles } from '../app-modules';

// esbuild's JavaScript API (about 13 MB resident) is required when the first build runs, not at start:
// the service builds its browser files on the first request for them, and most starts never do.
const esbuild = () => createRequire(import.meta.url)('esbuild') as typeof import('esbuild');

const sourceDir = projectPath('server', 'web', 'dashboard');

/** The built files by the name the page asks for under /assets/ (app.js, app.css, chunk-….js). */
export async function buildDashboard({ minify = true } = {}): Promise<MadeFiles> {
  const result = await esbuild().build({
    ...browserBuild,
    entryPoints: { app: path.join(sourceDir, 'main.tsx') },
    // Code only some screens need (the QR code encoder) loads when they open, not with the first page.
    splitting: true,
    jsx: 'automatic',
    jsxImportSource: 'preact',
    minify,
    entryNames: '[name]',
    chunkNames: 'chunk-[hash]',
    outdir: '/assets',
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  return new Map(result.outputFiles.map((file) => [path.basename(file.path), Buffer.from(file.contents)]));
}
