// The server as `npm start` runs it, for benchmarks: the same build command and the same Node flags.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const repoRoot = path.resolve(import.meta.dirname, '..', '..');

/** Runs `npm run build` and returns the environment, Node flags and entry of package.json's start script. */
export function buildProductionServer(): { entry: string; nodeArgs: string[]; env: Record<string, string> } {
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: repoRoot, stdio: 'inherit' });
  return startScript();
}

/** The environment, Node flags and entry of package.json's start script, without building. */
export function startScript(): { entry: string; nodeArgs: string[]; env: Record<string, string> } {
  const start: string = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')).scripts.start;
  const command = /&&\s*((?:\w+=\S+\s+)*)node\s+(.*?)\s*(\S+\.mjs)\s*$/.exec(start);
  if (!command) throw new Error(`cannot read the node command from the start script: ${start}`);
  const env = Object.fromEntries(command[1].trim().split(/\s+/).filter(Boolean).map((pair) => pair.split('=') as [string, string]));
  return { entry: command[3], nodeArgs: command[2].split(/\s+/).filter(Boolean), env };
}
