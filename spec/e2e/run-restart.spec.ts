// A run whose gateway died under it (issue 14, fault 9): after a restart on the same SQLite store its status and its
// event stream agree. The journal lived in the dead process's memory; the restart recovery writes the terminal event
// into a journal of its own, so GET …/events answers 200 and ends with run.interrupted instead of 404.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { bodyOf, scriptedAgentConfig, startTestGateway, TEST_KEY } from '../support/gateway.js';
import { sleep } from '../support/redis-server.js';

/** The real CLI from source, serving the scripted agent on an SQLite store; resolves with its URL. */
async function startCli(dir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'lib/cli.ts', '--port', '0', '--store', `sqlite://${join(dir, 'gateway.sqlite')}`],
    {
      env: { ...process.env, API_SERVER_KEY: TEST_KEY, GATEWAY_DATA_DIR: dir, LOG_FORMAT: 'json' },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let err = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no listening line; stderr: ${err}`)), 20_000);
    child.stderr!.on('data', (chunk) => {
      err += chunk;
      const m = /listening on (http:\/\/[^"\s]+)/.exec(err);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.on('exit', (code) => reject(new Error(`exited ${code}: ${err}`)));
  });
  return { child, url };
}

describe('a run whose gateway died', function () {
  this.timeout(60_000);
  const dir = mkdtempSync(join(tmpdir(), 'agw-run-restart-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('is interrupted after the restart, and its event stream says so', async () => {
    const { child, url } = await startCli(dir);
    const headers = { authorization: `Bearer ${TEST_KEY}`, 'content-type': 'application/json' };
    const created = await fetch(`${url}/v1/runs`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ input: '[[text "working"]] [[sleep ms=60000]]' }),
    });
    expect(created.status).to.equal(202);
    const { run_id: runId } = (await created.json()) as { run_id: string };
    for (let i = 0; i < 100; i++) {
      const status = (await (await fetch(`${url}/v1/runs/${runId}`, { headers })).json()) as { status: string };
      if (status.status === 'running') break;
      await sleep(50);
    }
    child.kill('SIGKILL'); // the instance dies: nothing settles the run, its memory journal is gone
    await once(child, 'exit');

    const gw = await startTestGateway({
      store: `sqlite://${join(dir, 'gateway.sqlite')}`,
      dataDir: dir,
      agents: [scriptedAgentConfig()],
    });
    try {
      const status = await bodyOf(await gw.request(`/v1/runs/${runId}`));
      expect(status.status).to.equal('interrupted');
      const events = await gw.request(`/v1/runs/${runId}/events`);
      expect(events.status).to.equal(200);
      const text = await events.text();
      const frames = text
        .split('\n\n')
        .filter((frame) => frame.includes('data: '))
        .map((frame) => JSON.parse(frame.slice(frame.indexOf('data: ') + 6)));
      expect(frames.at(-1)).to.include({ event: 'run.interrupted', run_id: runId });
      expect(text).to.match(/^id: 1\n/);
      expect(text).to.include(': stream closed');
      // Asked again, the same answer: settled once, not twice.
      expect((await bodyOf(await gw.request(`/v1/runs/${runId}`))).status).to.equal('interrupted');
    } finally {
      await gw.stop();
    }
  });
});
