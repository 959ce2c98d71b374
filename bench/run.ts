// `npm run bench [-- NAME...]`: runs the named benchmarks (all by default) one after another and writes each one's
// markdown into its own section of bench/RESULTS.md, leaving the other sections as they were.
// A new benchmark is one more entry in BENCHES: a function that resolves with its markdown section.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { runChatBench } from './chat.js';
import { runFuzzBench } from './fuzz.js';
import { runInstancesBench } from './instances.js';
import { runSoakBench } from './soak.js';
import { runProxyBench } from './proxy.js';
import { runStalledBench } from './stalled.js';
import { runStreamsBench } from './streams.js';
import { runTurnsBench } from './turns.js';
import { runYoungGenerationBench } from './young-generation.js';

const BENCHES: Record<string, () => Promise<string>> = {
  soak: runSoakBench,
  proxy: runProxyBench,
  chat: runChatBench,
  turns: runTurnsBench,
  stalled: runStalledBench,
  streams: runStreamsBench,
  fuzz: runFuzzBench,
  instances: runInstancesBench,
  'young-generation': runYoungGenerationBench,
};

const RESULTS = new URL('./RESULTS.md', import.meta.url);
const HEADER = '# Benchmark results\n\nWritten by `npm run bench`; each section is replaced when its benchmark runs.\n';

const names = process.argv.slice(2).length > 0 ? process.argv.slice(2) : Object.keys(BENCHES);
const unknown = names.filter((name) => !BENCHES[name]);
if (unknown.length > 0) {
  process.stderr.write(`unknown benchmark ${unknown.join(', ')}; known: ${Object.keys(BENCHES).join(', ')}\n`);
  process.exit(2);
}

for (const name of names) {
  process.stderr.write(`bench ${name}…\n`);
  const section = (await BENCHES[name]()).trim();
  process.stdout.write(`${section}\n\n`);
  writeSection(name, `${section}\n\n_Recorded ${new Date().toISOString()}._`);
}

/** Replaces the text between `<!-- bench:NAME -->` and `<!-- /bench:NAME -->`, or appends the section. */
function writeSection(name: string, body: string): void {
  const text = existsSync(RESULTS) ? readFileSync(RESULTS, 'utf8') : HEADER;
  const open = `<!-- bench:${name} -->`;
  const close = `<!-- /bench:${name} -->`;
  const block = `${open}\n${body}\n${close}`;
  const start = text.indexOf(open);
  const end = text.indexOf(close);
  const next =
    start >= 0 && end > start
      ? text.slice(0, start) + block + text.slice(end + close.length)
      : `${text.trimEnd()}\n\n${block}\n`;
  writeFileSync(RESULTS, next);
}
