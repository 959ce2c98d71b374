import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { expect } from 'chai';

const KEY = 'sk-cli-test-0123456789abcdef';

interface Started {
  child: ChildProcess;
  url: string;
  stdout: () => string;
  stderr: () => string;
}

/** Runs the real CLI from source and waits for its `listening on` line. */
async function startCli(args: string[], env: Record<string, string> = {}): Promise<Started> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'lib/cli.ts', ...args], {
    env: { ...process.env, API_SERVER_KEY: KEY, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => {
    out += d;
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no listening line; stderr: ${err}`)), 15_000);
    child.stderr!.on('data', (d) => {
      err += d;
      const m = /listening on (http:\/\/[^"\s]+)/.exec(err);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.on('exit', (code) => reject(new Error(`exited ${code}: ${err}`)));
  });
  return { child, url, stdout: () => out, stderr: () => err };
}

async function runCli(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'lib/cli.ts', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => {
    out += d;
  });
  child.stderr!.on('data', (d) => {
    err += d;
  });
  const [code] = await once(child, 'exit');
  return { code: code as number, stdout: out, stderr: err };
}

describe('agent-gateway CLI', function () {
  this.timeout(30_000);

  it('starts, logs one listening line, drains in-flight work on SIGTERM and exits 0', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'agw-cli-'));
    const gw = await startCli(['--port', '0', '--store', 'memory://', '--data-dir', dataDir]);
    expect(gw.stderr().match(/listening on/g)).to.have.length(1);
    expect(gw.stderr()).to.include('no agent configured: serving the built-in scripted test agent');
    const health = await fetch(`${gw.url}/health`);
    expect(health.status).to.equal(200);

    // A slow turn is in flight when the signal arrives: it must finish, and the process must then exit 0.
    const inflight = fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        messages: [{ role: 'user', content: '[[text "slow but complete" chunks=3 delay=250]]' }],
      }),
    });
    await new Promise((r) => setTimeout(r, 200));
    const exited = once(gw.child, 'exit');
    gw.child.kill('SIGTERM');
    const res = await inflight;
    expect(res.status).to.equal(200);
    expect((await res.json()) as any).to.have.nested.property('choices[0].message.content', 'slow but complete');
    const [code] = await exited;
    expect(code).to.equal(0);
    expect(gw.stderr()).to.include('draining');
    // New connections are refused once it has stopped.
    const after = await fetch(`${gw.url}/health`).catch((e: Error) => e);
    expect(after).to.be.instanceOf(Error);
  });

  it('exits on SIGTERM when whoever read its log goes away as it stops (writes to stderr fail)', async () => {
    // A supervisor stopping it and closing its log pipe at once. With sonic-boom 4 (pino's default) the logger's flush
    // at exit retried a failed write (EPIPE) forever: a loop of three such stops of the compiled CLI hung in 2 of 3
    // runs (this spec's timing rarely hits that race; it holds the behaviour: every stop ends, exit code 0).
    for (let round = 0; round < 5; round++) {
      const dataDir = mkdtempSync(join(tmpdir(), 'agw-cli-'));
      const config = join(dataDir, 'gateway.yaml');
      writeFileSync(
        config,
        [
          'store: "memory://"',
          'agents:',
          `  - { name: scripted-agent, command: "${process.execPath}", args: ["--import", "tsx", "fixtures/agents/scripted-agent.ts"] }`,
          '',
        ].join('\n'),
      );
      const gw = await startCli(['--config', config, '--port', '0', '--data-dir', dataDir]);
      for (let i = 0; i < 20; i++) {
        const res = await fetch(`${gw.url}/v1/chat/completions`, {
          method: 'POST',
          headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
          body: JSON.stringify({ messages: [{ role: 'user', content: `turn ${i}` }] }),
        });
        expect(res.status).to.equal(200);
      }
      const exited = once(gw.child, 'exit');
      gw.child.kill('SIGTERM');
      gw.child.stderr!.destroy();
      const outcome = await Promise.race([exited, new Promise((r) => setTimeout(() => r('still running'), 8_000))]);
      if (outcome === 'still running') gw.child.kill('SIGKILL');
      expect(outcome, `round ${round}`).to.deep.equal([0, null]);
    }
  });

  it('generates a key on first start, prints it once and reuses it', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'agw-cli-'));
    const env = { API_SERVER_KEY: '' };
    const first = await startCli(['--port', '0', '--store', 'memory://', '--data-dir', dataDir], env);
    const key = /Generated API key.*\n\s+(\S+)/.exec(first.stdout())?.[1];
    expect(key).to.be.a('string');
    const models = await fetch(`${first.url}/v1/models`, { headers: { authorization: `Bearer ${key}` } });
    expect(models.status).to.equal(200);
    first.child.kill('SIGTERM');
    await once(first.child, 'exit');
    const second = await startCli(['--port', '0', '--store', 'memory://', '--data-dir', dataDir], env);
    expect(second.stdout()).to.not.include('Generated API key');
    second.child.kill('SIGTERM');
    await once(second.child, 'exit');
  });

  it('refuses a malformed config with one line naming the field and exit code 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'agw-cli-'));
    const file = join(dir, 'gw.yaml');
    writeFileSync(file, 'port: "eighty"\n');
    const result = await runCli(['--config', file, '--data-dir', dir], { API_SERVER_KEY: KEY });
    expect(result.code).to.equal(2);
    expect(result.stderr.trim().split('\n')).to.deep.equal([
      `agent-gateway: invalid config: port (from port in ${file}) must be integer`,
    ]);
  });

  it('refuses a key shorter than 16 characters', async () => {
    const result = await runCli(['--data-dir', mkdtempSync(join(tmpdir(), 'agw-cli-'))], {
      API_SERVER_KEY: 'too-short',
    });
    expect(result.code).to.equal(2);
    expect(result.stderr).to.include('keys[0].key (from API_SERVER_KEY) must be at least 16 characters');
    expect(result.stderr).to.not.include('too-short');
  });

  it('writes readable log lines with --log-format pretty, and JSON lines by default when stderr is no terminal', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'agw-cli-pretty-'));
    const pretty = await startCli([
      '--port',
      '0',
      '--store',
      'memory://',
      '--data-dir',
      dataDir,
      '--log-format',
      'pretty',
    ]);
    pretty.child.kill('SIGTERM');
    await once(pretty.child, 'exit');
    expect(pretty.stderr()).to.match(/INFO.*listening on http:\/\/127\.0\.0\.1:\d+/);
    expect(() => JSON.parse(pretty.stderr().split('\n')[0])).to.throw();
    const plain = await startCli(['--port', '0', '--store', 'memory://', '--data-dir', dataDir]);
    plain.child.kill('SIGTERM');
    await once(plain.child, 'exit');
    for (const line of plain.stderr().split('\n').filter(Boolean)) expect(() => JSON.parse(line), line).not.to.throw();
    const bad = await runCli(['--log-format', 'loud'], { API_SERVER_KEY: KEY });
    expect(bad.code).to.equal(2);
    expect(bad.stderr).to.match(/logFormat/);
  });

  it('prints a start-up banner at a terminal: URL, models, store, key and how to connect a client', async () => {
    // `script` gives the CLI a pseudo-terminal as stdout and stderr (util-linux, on every Debian machine).
    const dataDir = mkdtempSync(join(tmpdir(), 'agw-cli-banner-'));
    const command = `${process.execPath} --import tsx lib/cli.ts --port 0 --store memory:// --data-dir ${dataDir}`;
    const child = spawn('script', ['-qec', command, '/dev/null'], {
      env: { ...process.env, API_SERVER_KEY: KEY },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
    });
    const deadline = Date.now() + 15_000;
    while (!/API reference at/.test(out) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    child.kill('SIGTERM');
    await once(child, 'exit');
    const text = stripVTControlCharacters(out);
    expect(text).to.match(/agent-gateway \S+ listening on http:\/\/127\.0\.0\.1:\d+/);
    expect(text).to.match(/models\s+scripted-agent/);
    expect(text).to.match(/store\s+memory/);
    expect(text).to.match(/base URL http:\/\/127\.0\.0\.1:\d+\/v1/);
    expect(text).not.to.include(KEY);
  });
});
