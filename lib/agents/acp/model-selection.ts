// Which call, if any, puts the requested model on a new session (acp.md §1.6, §5.1). The plan is pure;
// applying it is best effort: a failure is logged and the session goes on with the agent's default.
import type * as acp from '@agentclientprotocol/sdk/unstable';
import type { Logger } from '../../log.js';
import type { AgentConfig } from '../../generated/config.gen.js';
import type { AgentProcess } from './agent-process.js';

/** `auto` (config unset): a model config option when offered, else the legacy session/set_model. */
export type ModelSelection = NonNullable<AgentConfig['modelSelection']> | 'auto';

/** session/new's reply, plus the legacy `models` field older agents (hermes) still send. */
export type NewSessionReply = acp.NewSessionResponse & { models?: LegacyModels | null };

interface LegacyModels {
  currentModelId?: string;
  availableModels?: Array<{ modelId: string; name?: string }>;
}

export type ModelChange =
  | { method: 'session/set_config_option'; params: { sessionId: string; configId: string; value: string } }
  | { method: 'session/set_model'; params: { sessionId: string; modelId: string } };

export function planModelChange(reply: NewSessionReply, model: string, selection: ModelSelection): ModelChange | null {
  if (selection === 'none') return null;
  if (selection === 'config_option' || selection === 'auto') {
    const change = configOptionChange(reply, model);
    if (change || selection === 'config_option') return change;
  }
  return legacyModelChange(reply, model);
}

export async function applyModel(
  proc: AgentProcess,
  reply: NewSessionReply,
  model: string,
  selection: ModelSelection,
  logger: Logger,
): Promise<void> {
  const change = planModelChange(reply, model, selection);
  if (!change) {
    logger.debug({ sessionId: reply.sessionId, model, selection }, 'requested model not offered by the agent');
    return;
  }
  try {
    await proc.rpc.request(change.method, change.params);
    logger.debug({ sessionId: reply.sessionId, model, method: change.method }, 'model selected');
  } catch (error) {
    logger.warn({ sessionId: reply.sessionId, model, method: change.method, err: error }, 'model selection failed');
  }
}

function configOptionChange(reply: NewSessionReply, model: string): ModelChange | null {
  for (const option of reply.configOptions ?? []) {
    if (option.category !== 'model' || option.type !== 'select') continue;
    const choices = option.options.flatMap((entry) => ('group' in entry ? entry.options : [entry]));
    const choice = choices.find((c) => c.value === model) ?? choices.find((c) => sameName(c.name, model));
    if (!choice) continue;
    if (choice.value === option.currentValue) return null;
    return {
      method: 'session/set_config_option',
      params: { sessionId: reply.sessionId, configId: option.id, value: choice.value },
    };
  }
  return null;
}

function legacyModelChange(reply: NewSessionReply, model: string): ModelChange | null {
  const available = reply.models?.availableModels ?? [];
  // Hermes names models "provider:model"; a client usually asks for the model part alone.
  const match =
    available.find((m) => m.modelId === model) ??
    available.find((m) => sameName(m.name, model)) ??
    available.find((m) => m.modelId.endsWith(`:${model}`));
  if (!match || match.modelId === reply.models?.currentModelId) return null;
  return { method: 'session/set_model', params: { sessionId: reply.sessionId, modelId: match.modelId } };
}

function sameName(name: string | undefined, model: string): boolean {
  return name !== undefined && name.toLowerCase() === model.toLowerCase();
}
