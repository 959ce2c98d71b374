// The layer rules of lib/ (DESIGN.md "Shape") are dependency-cruiser rules in .dependency-cruiser.cjs,
// run by `npm run layers` inside `npm test`. This spec runs the SAME config, through the same CLI, on the
// miniature tree in fixtures/layers/lib and checks that an upward import fails the run under its named
// rule while the allowed imports pass.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(import.meta.url);
const CONFIG = '.dependency-cruiser.cjs';
const FIXTURE = 'fixtures/layers/lib';
const depcruiseBin = path.join(repoRoot, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');

interface Rule {
  name: string;
  comment?: string;
  severity: string;
}
interface Violation {
  type: string;
  from: string;
  to: string;
  rule: { name: string; severity: string };
}
interface CruiseJson {
  modules: { source: string; dependencies: { resolved: string; circular: boolean; dependencyTypes: string[] }[] }[];
  summary: { error: number; violations: Violation[] };
}

function depcruise(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [depcruiseBin, FIXTURE, '--config', CONFIG, ...args],
      { cwd: repoRoot, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

const f = (p: string) => `${FIXTURE}/${p}`;

describe('layers (dependency-cruiser)', function () {
  this.timeout(60_000);

  let run: { code: number; stdout: string; stderr: string };
  let result: CruiseJson;

  before(async () => {
    const [errRun, jsonRun] = await Promise.all([
      depcruise('--output-type', 'err'),
      depcruise('--output-type', 'json'),
    ]);
    run = errRun;
    expect(jsonRun.code, jsonRun.stderr).to.equal(0);
    result = JSON.parse(jsonRun.stdout) as CruiseJson;
  });

  const dependency = (from: string, to: string) =>
    result.modules.find((m) => m.source === f(from))?.dependencies.find((d) => d.resolved === f(to));

  describe('the configuration', () => {
    const config = require(path.join(repoRoot, CONFIG)) as { forbidden: Rule[] };

    it('fails the run on every rule: each is an error, named once, with a one-line reason', () => {
      const names = config.forbidden.map((r) => r.name);
      expect(new Set(names).size, 'rule names are unique').to.equal(names.length);
      for (const rule of config.forbidden) {
        expect(rule.severity, rule.name).to.equal('error');
        expect(rule.comment, rule.name)
          .to.be.a('string')
          .and.match(/^[^\n]+$/);
      }
    });

    it('has one rule per forbidden direction between the layers', () => {
      const names = new Set(config.forbidden.map((r) => r.name));
      for (const name of [
        'foundation-not-to-config',
        'config-not-to-store',
        'store-not-to-engine',
        'engine-not-to-agents',
        'engine-not-to-http',
        'engine-not-to-api',
        'agents-not-to-store',
        'agents-not-to-engine-internals',
        'agents-not-to-http',
        'proxy-not-to-http',
        'proxy-not-to-engine',
        'http-not-to-api',
        'http-not-to-engine',
        'api-not-to-agents',
        'api-not-to-proxy',
        'not-to-composition-root',
        'no-cycle-across-folders',
      ]) {
        expect(names.has(name), name).to.equal(true);
      }
    });

    it('is what `npm test` runs on lib/', () => {
      const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
        scripts: Record<string, string>;
      };
      expect(pkg.scripts.layers).to.equal(`depcruise lib --config ${CONFIG}`);
      expect(pkg.scripts.test).to.contain('npm run layers');
    });
  });

  describe('on fixtures/layers', () => {
    it('resolves `.js` specifiers to the .ts files, type-only imports included', () => {
      expect(dependency('engine/run.ts', 'http/errors.ts')?.dependencyTypes).to.include('local');
      expect(dependency('http/errors.ts', 'engine/run.ts')?.dependencyTypes).to.include('type-only');
      expect(result.summary.violations.filter((v) => v.rule.name === 'not-to-unresolvable')).to.deep.equal([]);
    });

    it('reports the upward import engine -> http under its rule and fails the run', () => {
      expect(run.code, run.stdout + run.stderr).to.be.greaterThan(0);
      expect(run.stdout).to.contain('engine-not-to-http');
      expect(result.summary.violations).to.deep.include({
        type: 'dependency',
        from: f('engine/run.ts'),
        to: f('http/errors.ts'),
        unresolvedTo: '../http/errors.js',
        dependencyTypes: ['local', 'import'],
        rule: { severity: 'error', name: 'engine-not-to-http' },
      });
    });

    it('reports exactly the violations planted in the fixture', () => {
      const seen = result.summary.violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`).sort();
      expect(seen).to.deep.equal(
        [
          `agents-not-to-engine-internals: ${f('agents/acp-agent.ts')} -> ${f('engine/run.ts')}`,
          `engine-not-to-http: ${f('engine/run.ts')} -> ${f('http/errors.ts')}`,
          `http-not-to-engine: ${f('http/errors.ts')} -> ${f('engine/run.ts')}`,
          `no-cycle-across-folders: ${f('engine/run.ts')} -> ${f('http/errors.ts')}`,
        ].sort(),
      );
      expect(result.summary.error).to.equal(4);
      expect(run.code).to.equal(4);
    });

    it('does not report the allowed imports', () => {
      const allowed: [string, string][] = [
        ['engine/run.ts', 'store/repo.ts'],
        ['engine/run.ts', 'engine/port/agent.ts'],
        ['agents/acp-agent.ts', 'engine/port/agent.ts'],
        ['store/repo.ts', 'config/config.ts'],
        ['config/config.ts', 'errors.ts'],
        ['gateway.ts', 'engine/run.ts'],
        ['gateway.ts', 'agents/acp-agent.ts'],
      ];
      for (const [from, to] of allowed) {
        expect(dependency(from, to), `${from} -> ${to} is seen`).to.not.equal(undefined);
        const reported = result.summary.violations.filter((v) => v.from === f(from) && v.to === f(to));
        expect(reported, `${from} -> ${to}`).to.deep.equal([]);
      }
    });

    it('tolerates a cycle inside one folder', () => {
      expect(dependency('store/repo.ts', 'store/memory.ts')?.circular).to.equal(true);
      expect(result.summary.violations.filter((v) => v.from.startsWith(f('store/')))).to.deep.equal([]);
    });
  });
});
