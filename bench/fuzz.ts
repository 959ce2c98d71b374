// Fuzz, long mode (issue 14): the properties of spec/fuzz/fuzz.spec.ts with 50,000 cases (BENCH_FUZZ_REQUESTS schema-
// derived requests + BENCH_FUZZ_RAW malformed raw requests), against a gateway serving the scripted agent on a memory
// store. Reports crashes, unanswered requests, undocumented 5xx, answers outside the envelope or without the
// security headers, and the status mix. Run: npm run bench -- fuzz
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAgents, scriptedAgentConfig } from '../lib/agents/create-agents.js';
import { defaultConfig } from '../lib/config/defaults.js';
import { startGateway } from '../lib/gateway.js';
import { silentLogger } from '../lib/log.js';
import { fuzzRaw, fuzzRequests, type FuzzTally, newTally } from '../spec/fuzz/fuzz-runner.js';

const KEY = 'bench-key-0123456789abcdef';
const REQUESTS = Number(process.env.BENCH_FUZZ_REQUESTS ?? 45_000);
const RAW = Number(process.env.BENCH_FUZZ_RAW ?? 5_000);
const SEED = Number(process.env.BENCH_FUZZ_SEED ?? 14);

export async function runFuzzBench(): Promise<string> {
  const crashes: unknown[] = [];
  const onCrash = (error: unknown) => crashes.push(error);
  process.on('uncaughtException', onCrash);
  process.on('unhandledRejection', onCrash);
  const violations: string[] = [];
  const gateway = await startGateway(
    {
      ...defaultConfig(),
      port: 0,
      store: 'memory://',
      dataDir: mkdtempSync(join(tmpdir(), 'agw-bench-fuzz-')),
      keys: [{ key: KEY }],
      agents: [scriptedAgentConfig()],
      maxConcurrentRuns: 0,
      logLevel: 'silent',
    },
    { logger: silentLogger, createAgents, onResponseViolation: (v) => void violations.push(JSON.stringify(v)) },
  );
  const started = performance.now();
  const requests = newTally();
  const raw = newTally();
  try {
    await fuzzRequests(gateway.url, KEY, REQUESTS, SEED, requests);
    await fuzzRaw(gateway.url, KEY, RAW, SEED, raw);
  } finally {
    await gateway.close(2000);
    process.off('uncaughtException', onCrash);
    process.off('unhandledRejection', onCrash);
  }
  const seconds = (performance.now() - started) / 1000;
  const row = (name: string, t: FuzzTally) => {
    const fivexx = [...t.byStatus].filter(([s]) => s >= 500).reduce((n, [, c]) => n + c, 0);
    const mix = [...t.byStatus]
      .sort(([a], [b]) => a - b)
      .map(([s, c]) => `${s}: ${c}`)
      .join(', ');
    return `| ${name} | ${t.cases} | ${t.unanswered} | ${fivexx} | ${t.problems.length} | ${mix} |`;
  };
  const problems = [...requests.problems, ...raw.problems].slice(0, 10);
  return [
    '## Fuzz, long mode (issue 14): requests derived from openapi.yaml, and malformed raw HTTP',
    '',
    `Seed ${SEED}; ${REQUESTS + RAW} cases in ${seconds.toFixed(0)} s against one gateway (scripted agent, memory store,`,
    'no concurrency cap). Schema-derived: every operation of openapi.yaml, bodies drawn from their JSON Schemas or',
    'broken (any JSON, not JSON, none), odd path values (dot segments, escapes), queries, auth and header variants.',
    'Raw: control bytes in headers and paths, headers up to 40 KB, Content-Length with Transfer-Encoding, doubled',
    'lengths, bare LF, bad versions and methods, `Expect: bogus`, random bytes. A problem is an answer without the',
    'error envelope or a security header, or a 5xx outside the documented ones (501 not_implemented, 502',
    'agent_incomplete, 503 agent_unavailable).',
    '',
    '| property | cases | unanswered | 5xx | problems | statuses |',
    '|---|---|---|---|---|---|',
    row('schema-derived requests', requests),
    row('malformed raw HTTP', raw),
    '',
    `Crashes (uncaught exceptions, unhandled rejections): **${crashes.length}**. JSON bodies that broke the`,
    `response contract (openapi.yaml): **${violations.length}**.`,
    ...violations.slice(0, 5).map((v) => `- contract: ${v.slice(0, 300)}`),
    ...(problems.length > 0
      ? ['', 'First problems:', '', ...problems.map((p) => `- ${p.problem} (${p.request.slice(0, 160)})`)]
      : []),
  ].join('\n');
}
