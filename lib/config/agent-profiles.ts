// Launch profiles: a bare agent name (`--agent hermes`, GATEWAY_AGENT_COMMAND=hermes, `agents: [{ profile: hermes }]`)
// expands to that agent's documented ACP command line, with its known quirks set. Sources: the ACP digest
// (the project reference acp.md: §3 for hermes, §4 for the others, taken from the ACP registry agent.json entries).
import type { AgentConfig } from './config.js';

export interface AgentProfile {
  /** The ACP command line (stdio). */
  command: string;
  args: readonly string[];
  /** Settings the agent needs beyond its command line (its quirks). */
  quirks: Partial<Omit<AgentConfig, 'command' | 'args'>>;
  /** What a user should know (shown in the README table). */
  note: string;
  /** Where the command line comes from. */
  source: string;
}

export const AGENT_PROFILES: Readonly<Record<string, AgentProfile>> = {
  // acp.md §3 "Launch": `hermes acp`; prompts starting with '/' run as slash commands; legacy `models` + session/set_model.
  hermes: {
    command: 'hermes',
    args: ['acp'],
    quirks: { slashCommandGuard: true, modelSelection: 'set_model' },
    note: 'text starting with `/` is a hermes slash command (guarded); models via legacy `session/set_model`',
    source: 'acp.md §3 (hermes-agent `acp_adapter`), §4 table',
  },
  // acp.md §4: registry entry `npx @agentclientprotocol/claude-agent-acp` (bin claude-agent-acp).
  claude: {
    command: 'npx',
    args: ['@agentclientprotocol/claude-agent-acp'],
    quirks: {},
    note: 'needs Node ≥22 on the host and Claude auth / ANTHROPIC_API_KEY; older adapter: `claude-code-acp`',
    source: 'acp.md §4 (ACP registry, `@agentclientprotocol/claude-agent-acp`)',
  },
  // acp.md §4: registry entry `npx @agentclientprotocol/codex-acp` (bin codex-acp).
  codex: {
    command: 'npx',
    args: ['@agentclientprotocol/codex-acp'],
    quirks: {},
    note: 'Codex config via `-c key=value` (use a full command for that)',
    source: 'acp.md §4 (ACP registry, `@agentclientprotocol/codex-acp`)',
  },
  // acp.md §4: `gemini --acp` (registry entry for gemini-cli 0.37); older versions accept only --experimental-acp.
  gemini: {
    command: 'gemini',
    args: ['--acp'],
    quirks: {},
    note: 'older gemini-cli versions need the full command `gemini --experimental-acp`',
    source: 'acp.md §4 (ACP registry, gemini-cli)',
  },
  // acp.md §4: `goose acp`.
  goose: {
    command: 'goose',
    args: ['acp'],
    quirks: {},
    note: '',
    source: 'acp.md §4 (ACP registry, goose)',
  },
  // acp.md §4: `opencode acp` (also `npx opencode-ai acp`); OpenCode's own docs (opencode.ai/docs/cli/acp) give the
  // same command. spec/e2e/real-agent.spec.ts runs this profile against a real opencode-ai 1.18.33, unchanged.
  opencode: {
    command: 'opencode',
    args: ['acp'],
    quirks: {},
    note: 'without a global install: `--agent "npx opencode-ai acp"`',
    source: 'acp.md §4 (ACP registry, opencode)',
  },
};

export function isAgentProfile(name: string): boolean {
  return Object.hasOwn(AGENT_PROFILES, name);
}

/** The agent config a profile stands for: its command line and quirks. */
export function agentFromProfile(name: string): AgentConfig {
  const profile = AGENT_PROFILES[name];
  return { command: profile.command, args: [...profile.args], ...profile.quirks };
}

/**
 * A command line split into argv, as an agent config: one bare word naming a profile expands to it; anything else
 * (a full command, a path, an unknown word) is the command itself.
 */
export function agentFromArgv(argv: readonly string[]): AgentConfig {
  if (argv.length === 1 && isAgentProfile(argv[0])) return agentFromProfile(argv[0]);
  return { command: argv[0], args: argv.slice(1) };
}

/**
 * A YAML agent entry: `{ profile: NAME, ...overrides }` becomes the profile's config with the entry's own fields
 * on top; an entry without `profile` is returned as is. Throws an Error naming the unknown profile.
 */
export function expandProfileEntry(entry: unknown): unknown {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry) || !('profile' in entry)) return entry;
  const { profile, ...rest } = entry as Record<string, unknown>;
  if (typeof profile !== 'string' || !isAgentProfile(profile)) {
    throw new Error(`names no launch profile '${String(profile)}' (known: ${Object.keys(AGENT_PROFILES).join(', ')})`);
  }
  return { ...agentFromProfile(profile), ...rest };
}
