// prestart: compile to dist/ when dist is missing or older than any source file, and bundle the web console when its
// bundle is, so `npm start` works after `npm ci`.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { buildConsole, consoleIsStale } from './build-console.mjs';

const target = 'dist/lib/cli.js';
const newest = (dir) =>
  readdirSync(dir, { withFileTypes: true }).reduce((max, entry) => {
    const path = join(dir, entry.name);
    return Math.max(max, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }, 0);

const sources = Math.max(newest('lib'), newest('fixtures/agents'), statSync('tsconfig.json').mtimeMs);
if (!existsSync(target) || statSync(target).mtimeMs < sources) {
  process.stderr.write('agent-gateway: building dist/ (npm run build)\n');
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], {
    stdio: 'inherit',
  });
}
// The web console's bundle (dist/console/), from console/ by esbuild.
if (consoleIsStale()) {
  process.stderr.write('agent-gateway: bundling the web console into dist/console/\n');
  await buildConsole();
}
