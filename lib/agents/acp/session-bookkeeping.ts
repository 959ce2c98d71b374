// What an agent tells the gateway beside its turns (acp.md §1.4): the slash commands it advertises
// (available_commands_update, sent after session/new) and the titles it gives sessions (session_info_update, sent
// during a turn or after it, as hermes does). Fed by every process of one agent; knows no turn.
import type * as acp from '@agentclientprotocol/sdk/unstable';
import type { AgentCommand } from '../../engine/port/agent.js';

export class SessionBookkeeping {
  private advertised: AgentCommand[] | null = null;
  private readonly titles = new Map<string, string | null>();
  private readonly commandWaiters = new Set<() => void>();

  /** The commands advertised last; null until the agent advertised any. */
  get commands(): AgentCommand[] | null {
    return this.advertised;
  }

  /** Reads one session/update of process `processKey` (every update passes here before its turn sees it). */
  observe(processKey: string, sessionId: string, update: acp.SessionUpdate): void {
    if (update.sessionUpdate === 'available_commands_update') {
      this.advertised = update.availableCommands.map(toAgentCommand);
      for (const wake of this.commandWaiters) wake();
    } else if (update.sessionUpdate === 'session_info_update' && update.title !== undefined) {
      this.titles.set(titleKey(processKey, sessionId), update.title);
    }
  }

  title(processKey: string, sessionId: string): string | null {
    return this.titles.get(titleKey(processKey, sessionId)) ?? null;
  }

  /** Forgets a closed session's title. */
  forget(processKey: string, sessionId: string): void {
    this.titles.delete(titleKey(processKey, sessionId));
  }

  /** Resolves once commands are known, or after `timeoutMs` (then with whatever is known: maybe null). */
  waitForCommands(timeoutMs: number): Promise<AgentCommand[] | null> {
    if (this.advertised) return Promise.resolve(this.advertised);
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.commandWaiters.delete(done);
        resolve(this.advertised);
      };
      const timer = setTimeout(done, timeoutMs);
      this.commandWaiters.add(done);
    });
  }
}

function toAgentCommand(command: acp.AvailableCommand): AgentCommand {
  // A command's name is advertised without the slash ("steer"); some agents include it anyway.
  const name = command.name.replace(/^\//, '');
  return { name, description: command.description ?? '', inputHint: command.input?.hint ?? null };
}

const titleKey = (processKey: string, sessionId: string) => `${processKey}\u0000${sessionId}`;
