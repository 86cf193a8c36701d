// The server as `npm start` runs it, for benchmarks: the same build command and the same Node flags.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const repoRoot = path.resolve(import.meta.dirname, '..', '..');

/** Runs `npm run build` and returns the entry and Node flags from package.json's start script. */
export function buildProductionServer(): { entry: string; nodeArgs: string[] } {
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: repoRoot, stdio: 'inherit' });
  const start: string = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')).scripts.start;
  const command = /\bnode\s+(.*?)\s*(\S+\.mjs)\s*$/.exec(start);
  if (!command) throw new Error(`cannot read the node command from the start script: ${start}`);
  return { entry: command[2], nodeArgs: command[1].split(/\s+/).filter(Boolean) };
}
