// The one place the seller dashboard (server/web/dashboard) becomes browser files: esbuild bundles
// main.tsx with Preact, the shared client core, the vocabulary and the translations into minified
// ES modules and one stylesheet, in memory. The server builds it on the first request for it
// (server/routes/web.routes.ts) and keeps it.
import path from 'node:path';
import { build } from 'esbuild';
import { projectPath } from '../../paths';
import { browserBuild, type MadeFiles } from '../app-modules';

const sourceDir = projectPath('server', 'web', 'dashboard');

/** The built files by the name the page asks for under /assets/ (app.js, app.css, chunk-….js). */
export async function buildDashboard({ minify = true } = {}): Promise<MadeFiles> {
  const result = await build({
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
