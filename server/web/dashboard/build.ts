// The one place the seller dashboard (server/web/dashboard) becomes browser files: esbuild bundles
// main.tsx with Preact, the vocabulary and the translations into minified ES modules and one
// stylesheet, in memory. The server builds it once, on the first request for it, and keeps it.
import path from 'node:path';
import { build } from 'esbuild';
import { projectPath } from '../../paths';

const sourceDir = projectPath('server', 'web', 'dashboard');

/** The built files by the name the page asks for under /assets/ (app.js, app.css, chunk-….js). */
export type DashboardFiles = Map<string, Buffer>;

export async function buildDashboard({ minify = true } = {}): Promise<DashboardFiles> {
  const result = await build({
    absWorkingDir: projectPath(),
    entryPoints: { app: path.join(sourceDir, 'main.tsx') },
    bundle: true,
    // Code only some screens need (the QR code encoder) loads when they open, not with the first page.
    splitting: true,
    format: 'esm',
    platform: 'browser',
    target: ['chrome100', 'safari15', 'firefox100'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    minify,
    legalComments: 'none',
    charset: 'utf8',
    entryNames: '[name]',
    chunkNames: 'chunk-[hash]',
    outdir: '/assets',
    write: false,
    logLevel: 'silent',
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  return new Map(result.outputFiles.map((file) => [path.basename(file.path), Buffer.from(file.contents)]));
}

let built: Promise<DashboardFiles> | undefined;

/** The dashboard's files, built once per process; a failed build is retried by the next request. */
export function dashboardFiles(): Promise<DashboardFiles> {
  built ??= buildDashboard().catch((error: unknown) => {
    built = undefined;
    throw error;
  });
  return built;
}
