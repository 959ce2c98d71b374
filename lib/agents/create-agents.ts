// Builds one agent adapter per configured agent; with none configured (and no upstream), the scripted agent.
import { existsSync } from 'node:fs';
import type { AgentConfig, GatewayConfig } from '../config/config.js';
import type { Logger } from '../log.js';
import { packagePath } from '../paths.js';
import type { Agent } from '../engine/port/agent.js';
import { createAcpAgent } from './acp/acp-agent.js';

export function createAgents(config: GatewayConfig, logger: Logger): Agent[] {
  const configs = [...config.agents];
  if (configs.length === 0 && config.upstreams.length === 0) {
    configs.push(scriptedAgentConfig());
    logger.warn(
      'no agent configured: serving the built-in scripted test agent (fixtures/agents); set --agent or GATEWAY_AGENT_COMMAND',
    );
  }
  if (configs.length === 1 && config.modelName && !configs[0].name)
    configs[0] = { ...configs[0], name: config.modelName };
  return configs.map((agentConfig) => createAcpAgent(agentConfig, logger));
}

/** The scripted ACP agent, compiled (dist) or run from source through tsx. */
export function scriptedAgentConfig(): AgentConfig {
  const compiled = packagePath('dist', 'fixtures', 'agents', 'scripted-agent.js');
  if (existsSync(compiled)) return { command: process.execPath, args: [compiled] };
  return {
    command: process.execPath,
    args: ['--import', 'tsx', packagePath('fixtures', 'agents', 'scripted-agent.ts')],
  };
}
