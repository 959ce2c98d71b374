// Bundles the web console (console/: Preact, TSX, one stylesheet) with esbuild into dist/console/console.js and
// console.css, the two files GET /console/assets/{asset} serves. Run by `npm run build`, by the prestart
// build-if-stale step, and by the console specs (a fresh clone has no bundle until one of them runs).
//   node scripts/build-console.mjs [--if-stale]
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SOURCE = join(ROOT, 'console');
const OUT = join(ROOT, 'dist', 'console');
const OUTPUTS = ['console.js', 'console.css'].map((name) => join(OUT, name));

const newest = (dir) =>
  readdirSync(dir, { withFileTypes: true }).reduce((max, entry) => {
    const path = join(dir, entry.name);
    return Math.max(max, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }, 0);

/** Whether a bundle is missing or older than the console's sources, this script or the contract's types. */
export function consoleIsStale() {
  if (!OUTPUTS.every(existsSync)) return true;
  const built = Math.min(...OUTPUTS.map((path) => statSync(path).mtimeMs));
  const inputs = [newest(SOURCE), statSync(fileURLToPath(import.meta.url)).mtimeMs];
  return Math.max(...inputs) > built;
}

export async function buildConsole() {
  // Imported here: a gateway started from a prebuilt dist/ never needs the bundler.
  const { build } = await import('esbuild');
  await build({
    absWorkingDir: ROOT,
    entryPoints: { console: join(SOURCE, 'main.tsx') },
    outdir: OUT,
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: ['es2022'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    tsconfig: join(SOURCE, 'tsconfig.json'),
    minify: true,
    legalComments: 'eof',
    logLevel: 'warning',
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (!process.argv.includes('--if-stale') || consoleIsStale()) {
    process.stderr.write('agent-gateway: bundling the web console into dist/console/\n');
    await buildConsole();
  }
}
