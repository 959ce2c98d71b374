// The web console in headless Chromium (playwright-core), against a real gateway running the scripted ACP agent: the
// key gate, a streamed chat reply, runs approved and denied, a job run now, a session renamed and forked, and where
// the key travels. Each test saves a screenshot under spec/artifacts/console/. Code run in the page is given as
// strings: the specs compile without the DOM library.
import { expect } from 'chai';
import type { Browser, BrowserContext, Page, Request } from 'playwright-core';
import { defaultConfig } from '../../lib/config/defaults.js';
import { bodyOf, scriptedAgentConfig, startTestGateway, type TestGateway } from '../support/gateway.js';
import { ensureConsoleBuilt, launchBrowser, screenshot } from './browser.js';

const WAIT = { timeout: 15_000 };

describe('web console (headless Chromium)', function () {
  this.timeout(60_000);
  let browser: Browser;
  let gw: TestGateway;
  let context: BrowserContext;
  let page: Page;

  before(async function () {
    await ensureConsoleBuilt();
    const launched = await launchBrowser();
    if (typeof launched === 'string') {
      console.warn(`      (web console browser specs skipped: ${launched})`);
      this.skip();
    }
    browser = launched as Browser;
    gw = await startTestGateway({
      agents: [scriptedAgentConfig()],
      jobs: { ...defaultConfig().jobs, tickSeconds: 0.1 },
    });
  });

  after(async () => {
    await browser?.close();
    await gw?.stop();
  });

  beforeEach(async () => {
    context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    page = await context.newPage();
  });

  afterEach(async function () {
    // A screenshot of every test, also of a failed one (what the page showed when it failed).
    const title = this.currentTest?.title ?? 'test';
    const name = title
      .replace(/[^a-z0-9]+/gi, '-')
      .replace(/^-|-$/g, '')
      .toLowerCase();
    const path = await screenshot(page, `${this.currentTest?.state === 'failed' ? 'FAILED-' : ''}${name}`);
    console.log(`      screenshot: ${path}`);
    await context.close();
  });

  /** Opens the console and pastes the test key. */
  async function openConsole(target: Page = page): Promise<void> {
    await target.goto(`${gw.url}/`);
    await target.getByLabel('API key').fill(gw.key);
    await target.getByRole('button', { name: 'Open the console' }).click();
    await target.getByRole('navigation', { name: 'Console sections' }).waitFor(WAIT);
  }

  async function section(name: string): Promise<void> {
    await page.getByRole('navigation').getByRole('link', { name }).click();
    await page.getByRole('heading', { level: 2, name }).waitFor(WAIT);
  }

  it('refuses a wrong key with a clear message, keeps nothing, and opens with the right key from the keyboard', async () => {
    await page.goto(`${gw.url}/`);
    await page.getByLabel('API key').fill('sk-wrong-key-0123456789');
    await page.getByRole('button', { name: 'Open the console' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor(WAIT);
    expect(await alert.textContent()).to.include('The gateway refused this API key (401 gateway_auth_failed)');
    expect(await page.evaluate<string>('JSON.stringify({ ...sessionStorage })')).to.equal('{}');

    // Keyboard only: focus the field, type, Enter.
    await page.getByLabel('API key').fill('');
    await page.getByLabel('API key').focus();
    await page.keyboard.type(gw.key);
    await page.keyboard.press('Enter');
    await page.getByRole('navigation', { name: 'Console sections' }).waitFor(WAIT);
    expect(await page.getByRole('alert').count()).to.equal(0);
  });

  it('streams a chat reply from the scripted agent, its text growing as it arrives, with the reasoning folded', async () => {
    await openConsole();
    await page
      .getByLabel('Message', { exact: true })
      .fill('[[think "weighing the words"]] [[text "alpha bravo charlie delta echo" chunks=5 delay=250]]');
    await page.getByRole('button', { name: 'Send' }).click();
    const reply = page.locator('.turn-assistant .text').last();
    // Sample the reply while it streams: it must be seen part-way, growing, before it is whole.
    const seen: string[] = [];
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      const text = (await reply.textContent()) ?? '';
      if (seen.at(-1) !== text) seen.push(text);
      if (text === 'alpha bravo charlie delta echo') break;
      await page.waitForTimeout(40);
    }
    const partial = seen.filter((text) => text !== '…' && text !== '' && text !== 'alpha bravo charlie delta echo');
    expect(partial.length, `texts seen: ${JSON.stringify(seen)}`).to.be.greaterThan(1);
    for (let i = 1; i < partial.length; i++) expect(partial[i].startsWith(partial[i - 1])).to.equal(true);
    expect(seen.at(-1)).to.equal('alpha bravo charlie delta echo');
    await page.locator('.turn-assistant.turn-completed').waitFor(WAIT);

    const reasoning = page.locator('.turn-assistant details.reasoning');
    expect(await reasoning.getAttribute('open')).to.equal(null);
    await reasoning.locator('summary').click();
    expect(await reasoning.locator('pre').textContent()).to.equal('weighing the words');

    // The chat went into a session the console created: continue it with a second turn.
    const session = await page.locator('.session-id code').textContent();
    await page.getByLabel('Message', { exact: true }).fill('[[text "second turn"]]');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.locator('.turn-assistant.turn-completed .text', { hasText: 'second turn' }).waitFor(WAIT);
    const messages = await bodyOf(await gw.request(`/api/sessions/${session}/messages?order=oldest`));
    expect(messages.data.map((m: { role: string }) => m.role)).to.deep.equal([
      'user',
      'assistant',
      'user',
      'assistant',
    ]);
  });

  it('answers a permission request inline in chat with the agent’s options, and stops a turn', async () => {
    await openConsole();
    await page
      .getByLabel('Message', { exact: true })
      .fill('[[permission command="touch /tmp/console-chat" title="Create a file"]]');
    await page.getByRole('button', { name: 'Send' }).click();
    const card = page.getByRole('region', { name: 'Approval request' });
    await card.waitFor(WAIT);
    expect(await card.locator('code.command').textContent()).to.equal('touch /tmp/console-chat');
    // The agent's own option names, one button per choice it allows.
    const labels = await card.locator('button').allTextContents();
    expect(labels).to.deep.equal(['Allow once', 'Allow for this session', 'Allow always', 'Deny']);
    await card.locator('button[data-choice="once"]').click();
    await page.locator('.turn-assistant.turn-completed .text', { hasText: 'permission: allow_once' }).waitFor(WAIT);

    await page.getByLabel('Message', { exact: true }).fill('[[text "before"]] [[sleep ms=30000]] [[text "never"]]');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.locator('.turn-assistant .text', { hasText: 'before' }).waitFor(WAIT);
    await page.getByRole('button', { name: 'Stop' }).click();
    await page.locator('.turn-assistant.turn-cancelled').waitFor(WAIT);
  });

  /** Starts a run from the Runs section and waits for its approval card. */
  async function startPermissionRun(command: string) {
    await section('Runs');
    await page.getByText('Start a run').click();
    await page.getByLabel('Input').fill(`[[permission command="${command}" title="Run ${command}"]] [[text " after"]]`);
    await page.getByRole('button', { name: 'Start run' }).click();
    const detail = page.locator('.run-detail');
    const card = detail.getByRole('region', { name: 'Approval request' });
    await card.waitFor(WAIT);
    expect(await card.locator('code.command').textContent()).to.equal(command);
    expect(await card.textContent()).to.include(`Run ${command}`); // the description
    // The live list shows the run waiting.
    await page.locator('.list .badge-waiting_for_approval').first().waitFor(WAIT);
    return { detail, card };
  }

  it('shows a run’s permission request as it appears and completes the run once approved', async () => {
    await openConsole();
    const { detail, card } = await startPermissionRun('ls /srv');
    await card.locator('button[data-choice="once"]').click();
    await detail.getByRole('status').filter({ hasText: 'Run completed' }).waitFor(WAIT);
    expect(await detail.locator('pre.output').textContent()).to.equal('permission: allow_once after');
    expect(await card.locator('.approval-outcome').textContent()).to.equal('Approved (once)');
    const runId = (await detail.locator('h3 code').textContent())!;
    const run = await bodyOf(await gw.request(`/v1/runs/${runId}`));
    expect(run.status).to.equal('completed');
  });

  it('ends a run denied when Deny is pressed', async () => {
    await openConsole();
    const { detail, card } = await startPermissionRun('rm -rf /srv/data');
    await card.locator('button[data-choice="deny"]').click();
    const outcome = detail.getByRole('status').filter({ hasText: 'the approval was denied' });
    await outcome.waitFor(WAIT);
    expect(await card.locator('.approval-outcome').textContent()).to.equal('Denied');
    expect(await detail.locator('pre.output').textContent()).to.equal('permission: deny after');
    expect(await detail.locator('.events').textContent()).to.include('approval.responded denied');
  });

  it('resumes a cut event stream with Last-Event-ID, showing each event once', async () => {
    const started = await bodyOf(
      await gw.request('/v1/runs', { method: 'POST', json: { input: '[[text "one two three four" delay=50]]' } }),
    );
    const runId = started.run_id as string;
    for (let i = 0; i < 100; i++) {
      if ((await bodyOf(await gw.request(`/v1/runs/${runId}`))).status === 'completed') break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    // The first connection is cut after two events; the next ones reach the gateway.
    const resumedWith: Array<string | undefined> = [];
    await page.route(`**/v1/runs/${runId}/events`, async (route) => {
      const headers = route.request().headers();
      if (resumedWith.length === 0 && !headers['last-event-id']) {
        resumedWith.push(undefined);
        const whole = await (await route.fetch()).text();
        const firstTwo = whole
          .split('\n\n')
          .filter((frame) => frame.startsWith('id:'))
          .slice(0, 2);
        await route.fulfill({ status: 200, contentType: 'text/event-stream', body: `${firstTwo.join('\n\n')}\n\n` });
        return;
      }
      resumedWith.push(headers['last-event-id']);
      await route.continue();
    });
    await openConsole();
    await section('Runs');
    await page.getByRole('button', { name: new RegExp(runId.slice(0, 16)) }).click();
    const detail = page.locator('.run-detail');
    await detail.getByRole('status').filter({ hasText: 'Run completed' }).waitFor(WAIT);
    expect(resumedWith).to.deep.equal([undefined, '2']);
    const ids = await detail.locator('.events code').allTextContents();
    expect(ids.filter((name) => name === 'run.started')).to.have.length(1);
    expect(ids.filter((name) => name === 'run.completed')).to.have.length(1);
    expect(await detail.locator('pre.output').textContent()).to.equal('one two three four');
  });

  it('creates a job with its parsed schedule shown before saving, runs it now and shows the execution', async () => {
    await openConsole();
    await section('Jobs');
    await page.getByText('New job').click();
    await page.getByLabel('Name').fill('console digest');
    await page.getByLabel('Schedule').fill('every 2 hours');
    const preview = page.locator('#schedule-preview');
    await preview.getByText('every 120m').waitFor(WAIT);
    expect(await preview.textContent()).to.match(/^Parsed: every 120m \(interval\) · first run /);
    // An unparseable schedule says why, and cannot be saved.
    await page.getByLabel('Schedule').fill('every blue moon');
    await page.locator('.panel .error').waitFor(WAIT);
    expect(await page.locator('.panel .error').textContent()).to.include('invalid_schedule');
    await page.getByLabel('Schedule').fill('weekdays at 9am');
    await preview.getByText('weekdays at 9am').waitFor(WAIT);
    await page.getByLabel('Prompt').fill('[[text "digest ready"]]');
    await page.getByRole('button', { name: 'Save job' }).click();

    const card = page.getByRole('listitem', { name: 'Job console digest' });
    await card.waitFor(WAIT);
    expect(await card.textContent()).to.include('weekdays at 9am');
    await card.getByRole('button', { name: 'Run now' }).click();
    const execution = card.locator('.execution').first();
    await execution.locator('.badge-completed').waitFor(WAIT);
    expect(await execution.textContent()).to.include('manual');
    expect(await execution.locator('pre.output').textContent()).to.equal('digest ready');

    await card.getByRole('button', { name: 'Pause' }).click();
    await card.locator('.badge-paused').waitFor(WAIT);
    await card.getByRole('button', { name: 'Resume' }).click();
    await card.locator('.badge-scheduled').waitFor(WAIT);
  });

  it('renames and forks a session, with its messages', async () => {
    const created = await bodyOf(
      await gw.request('/api/sessions', { method: 'POST', json: { title: 'Console original' } }),
    );
    const id = created.session.id as string;
    const chat = await gw.request(`/api/sessions/${id}/chat`, {
      method: 'POST',
      json: { message: '[[text "hi there"]]' },
    });
    expect(chat.status).to.equal(200);
    await chat.arrayBuffer();

    await openConsole();
    await section('Sessions');
    await page.getByRole('button', { name: /Console original/ }).click();
    const detail = page.locator('.session-detail');
    await detail.locator('.message-assistant', { hasText: 'hi there' }).waitFor(WAIT);

    await detail.getByLabel('Title').fill('Console renamed');
    await detail.getByRole('button', { name: 'Rename' }).click();
    await detail.getByRole('heading', { name: 'Console renamed' }).waitFor(WAIT);
    await page.getByRole('list', { name: 'Sessions' }).getByText('Console renamed').waitFor(WAIT);

    await detail.getByRole('button', { name: 'Fork' }).click();
    await page.locator('.session-detail', { hasText: `Forked from ${id}` }).waitFor(WAIT);
    await page.getByRole('heading', { name: 'Console renamed fork' }).waitFor(WAIT);
    await page.locator('.session-detail .message-assistant', { hasText: 'hi there' }).waitFor(WAIT);

    const list = await bodyOf(await gw.request('/api/sessions'));
    const titles = list.data.map((s: { title: string | null }) => s.title);
    expect(titles).to.include.members(['Console renamed', 'Console renamed fork']);
  });

  it('stays readable at 360 px wide: nothing scrolls sideways', async () => {
    await page.setViewportSize({ width: 360, height: 780 });
    await openConsole();
    for (const name of ['Chat', 'Sessions', 'Runs', 'Jobs', 'Status']) {
      await section(name);
      const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
      expect(overflow, name).to.be.at.most(0);
    }
    await page.getByRole('heading', { name: 'Readiness' }).waitFor(WAIT);
  });

  it('sends the key only in the Authorization header, keeps it out of localStorage, and loads nothing from elsewhere', async () => {
    const requests: Request[] = [];
    page.on('request', (request) => requests.push(request));
    await openConsole();
    await page.getByLabel('Message', { exact: true }).fill('[[text "hello"]]');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.locator('.turn-assistant.turn-completed').waitFor(WAIT);
    for (const name of ['Sessions', 'Runs', 'Jobs', 'Status']) await section(name);
    await page.getByRole('heading', { name: 'Readiness' }).waitFor(WAIT);

    const origin = new URL(gw.url).origin;
    const apiPaths = new Set<string>();
    for (const request of requests) {
      const where = `${request.method()} ${request.url()}`;
      expect(request.url().startsWith(`${origin}/`), where).to.equal(true);
      expect(request.url(), where).not.to.include(gw.key);
      expect(request.postData() ?? '', where).not.to.include(gw.key);
      const headers = await request.allHeaders();
      for (const [name, value] of Object.entries(headers)) {
        if (name === 'authorization') continue;
        expect(value, `${where}: header ${name}`).not.to.include(gw.key);
      }
      const path = new URL(request.url()).pathname;
      if (path === '/' || path.startsWith('/console/assets/')) {
        expect(headers.authorization, where).to.equal(undefined);
      } else {
        apiPaths.add(path);
        expect(headers.authorization, where).to.equal(`Bearer ${gw.key}`);
      }
    }
    // Every section called the API (a session chat's stream included), each call with the key in its one place.
    expect([...apiPaths]).to.include.members([
      '/v1/models',
      '/api/sessions',
      '/v1/runs',
      '/api/jobs',
      '/v1/capabilities',
      '/health/detailed',
    ]);
    expect([...apiPaths].some((p) => /^\/api\/sessions\/[^/]+\/chat\/stream$/.test(p))).to.equal(true);
    expect(await page.evaluate<number>('localStorage.length')).to.equal(0);
    expect(await page.evaluate<string[]>('Object.values({ ...sessionStorage })')).to.deep.equal([gw.key]);
    expect(await context.cookies()).to.deep.equal([]);
  });
});
