// Helpers of the Runs API specs: a gateway with two keys and the scripted agent, and the calls and event readers
// the specs share.
import { bodyOf, scriptedAgentConfig, startTestGateway, type TestGateway } from './gateway.js';
import { isSseComment, readSse, type SseEvent, type SseItem } from './sse.js';

export const OTHER_KEY = 'sk-other-0123456789abcdef';
export type RunEvent = { event: string; run_id: string; timestamp: number } & Record<string, any>;

export function startRuns(overrides: Parameters<typeof startTestGateway>[0] = {}): Promise<TestGateway> {
  return startTestGateway({
    agents: [scriptedAgentConfig({ cancelTimeoutSeconds: 1 })],
    keys: [
      { name: 'test', key: 'sk-test-0123456789abcdef' },
      { name: 'other', key: OTHER_KEY },
    ],
    approvals: { policy: 'deny', timeoutSeconds: 30 },
    ...overrides,
  });
}

export async function createRun(gw: TestGateway, json: unknown, headers: Record<string, string> = {}) {
  const res = await gw.request('/v1/runs', { method: 'POST', json, headers });
  return { res, body: await bodyOf(res) };
}

/** GET /v1/runs/{id}: status and body. */
export async function getRunReply(gw: TestGateway, runId: string, headers: Record<string, string> = {}) {
  const res = await gw.request(`/v1/runs/${runId}`, { headers });
  return { status: res.status, body: await bodyOf(res) };
}

/** GET /v1/runs/{id}: the body. */
export async function getRun(gw: TestGateway, runId: string) {
  return (await getRunReply(gw, runId)).body;
}

export async function waitForStatus(gw: TestGateway, runId: string, statuses: string[], timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await getRun(gw, runId);
    if (statuses.includes(status.status)) return status;
    if (Date.now() > deadline) throw new Error(`run ${runId} still ${status.status}, wanted ${statuses.join('|')}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export async function approve(gw: TestGateway, runId: string, json: Record<string, unknown>) {
  const res = await gw.request(`/v1/runs/${runId}/approval`, { method: 'POST', json });
  return { status: res.status, body: await bodyOf(res) };
}

export const eventsOf = (items: SseItem[]) => items.filter((i): i is SseEvent => !isSseComment(i));
export const payloads = (items: SseItem[]) => eventsOf(items).map((e) => JSON.parse(e.data) as RunEvent);
export const names = (items: SseItem[]) => payloads(items).map((p) => p.event);

/** Reads events until `until` matches one, then leaves the stream open for the caller (or cancels it). */
export async function readUntil(res: Response, until: (p: RunEvent) => boolean): Promise<SseItem[]> {
  const items: SseItem[] = [];
  for await (const item of readSse(res.body!)) {
    items.push(item);
    if (!isSseComment(item) && until(JSON.parse(item.data))) break;
  }
  return items;
}
