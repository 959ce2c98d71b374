// Test helpers for driving the scripted ACP agent (fixtures/agents/scripted-agent.ts) through a real
// AcpAgent. Other areas' specs may reuse them.
import { fileURLToPath } from 'node:url';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import type { PermissionOutcome } from '../../lib/engine/port/engine-event.js';
import type { EngineEvent } from '../../lib/engine/port/engine-event.js';
import type { AgentConfig } from '../../lib/generated/config.gen.js';
import type { Logger } from '../../lib/log.js';

const SCRIPT = fileURLToPath(new URL('../../fixtures/agents/scripted-agent.ts', import.meta.url));

/** An AgentConfig that runs the scripted agent from source through tsx; `env` merges over the defaults. */
export function scriptedAgentConfig(overrides: Partial<AgentConfig> = {}): AgentConfig {
  return {
    command: process.execPath,
    args: ['--import', 'tsx', SCRIPT],
    ...overrides,
    env: { ...overrides.env },
  };
}

/** Reads a turn to its end. */
export async function collect(events: AsyncIterable<EngineEvent>): Promise<EngineEvent[]> {
  const all: EngineEvent[] = [];
  for await (const event of events) all.push(event);
  return all;
}

/** The concatenated text deltas. */
export function textOf(events: EngineEvent[]): string {
  return events.map((event) => (event.type === 'text' ? event.delta : '')).join('');
}

/** What the scripted agent's `[[echo]]` directive reports about the prompt it received. */
export interface Echo {
  blocks: Array<{ type: string; text?: string; mimeType?: string; uri?: string }>;
  systemPrompt: string | null;
  session: string;
  promptIndex: number;
  model: string | null;
  /** Earlier exchanges the agent-side session holds (a fork starts with its source's). */
  history: number;
  forkedFrom: string | null;
  /** The MCP servers session/new (or fork, load, resume) passed, as the agent received them. */
  mcpServers: Array<Record<string, unknown>>;
  /** The `_meta` of the request that opened the session. */
  meta: Record<string, unknown> | null;
}

/** What the scripted agent's `[[stats]]` directive reports: everything its process received. */
export interface AgentStats {
  sessionsOpened: number;
  sessionsForked: number;
  sessionsLoaded: number;
  sessionsClosed: number;
  prompts: number;
  steers: string[];
}

/** The stats inside an answer's text. */
export function parseStats(text: string): AgentStats {
  const at = text.indexOf('stats: ');
  if (at === -1) throw new Error(`no stats in ${JSON.stringify(text)}`);
  return JSON.parse(text.slice(at + 'stats: '.length));
}

/** The echo inside an answer's text (whatever surface carried it). */
export function parseEcho(text: string): Echo {
  const at = text.indexOf('received: ');
  if (at === -1) throw new Error(`no echo in ${JSON.stringify(text)}`);
  return JSON.parse(text.slice(at + 'received: '.length));
}

/** The echo of a turn's events. */
export function echoOf(events: EngineEvent[]): Echo {
  return parseEcho(textOf(events));
}

/** An onPermission that must not be called. */
export async function noPermission(): Promise<PermissionOutcome> {
  throw new Error('unexpected permission request');
}

export interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

/** A pino logger that keeps every line in memory, for asserting on what was logged. */
export function memoryLogger(): { logger: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line) lines.push(JSON.parse(line));
      done();
    },
  });
  return { logger: pino({ level: 'debug' }, sink), lines };
}

/** Polls `condition` every 20 ms; throws after `timeoutMs`. */
export async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
