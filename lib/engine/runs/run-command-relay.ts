// Cross-instance run commands: a stop or an approval forwarded to the instance that executes the run (or holds
// the stream), and the commands other instances forward here, answered as if asked here. A GatewayError the
// owner answers with crosses back as the same HTTP error.
import { GatewayError } from '../../errors.js';
import type { Logger } from '../../log.js';
import type {
  RelayedError,
  RunCommandChannel,
  RunCommandHandler,
  RunCommandKind,
  RunCommandOf,
  RunCommandReply,
  RunCommandResults,
} from './run-commands.js';

/** How this instance carries out each kind of command it receives. */
export type RunCommandOperations = {
  [K in RunCommandKind]: (command: RunCommandOf<K>) => Promise<RunCommandResults[K]>;
};

/** The instance a command goes to, and the run (or stream) id it is about, for the 503 and the log. */
export interface CommandTarget {
  runId: string;
  instance: string;
}

export interface RunCommandRelayOptions {
  channel: RunCommandChannel;
  /** How long a forwarded command may wait for the owner's reply before the answer is 503. */
  timeoutMs: number;
  logger: Logger;
}

export class RunCommandRelay {
  constructor(private readonly options: RunCommandRelayOptions) {}

  /** Answers the commands addressed to `instance` with `operations`. */
  serve(instance: string, operations: RunCommandOperations): Promise<void> {
    const handler: RunCommandHandler = async (command) => {
      try {
        return { ok: true, value: await operations[command.kind](command) };
      } catch (error) {
        if (error instanceof GatewayError) return { ok: false, error: relayed(error) };
        this.options.logger.error({ err: error, command }, 'run command failed');
        return { ok: false, error: null };
      }
    };
    return this.options.channel.serve(instance, handler);
  }

  /** Sends a command to the target instance and returns its answer, or throws the HTTP error it answered. */
  async forward<K extends RunCommandKind>(
    target: CommandTarget,
    command: RunCommandOf<K>,
  ): Promise<RunCommandResults[K]> {
    const { channel, timeoutMs, logger } = this.options;
    let reply: RunCommandReply<K>;
    try {
      reply = await channel.send(target.instance, command, timeoutMs);
    } catch (error) {
      logger.warn({ err: error, runId: target.runId, owner: target.instance }, 'run owner unreachable');
      throw GatewayError.runOwnerUnreachable(target.runId);
    }
    if (reply.ok) return reply.value;
    if (!reply.error) throw new Error(`run command ${command.kind} failed on instance ${target.instance}`);
    const { status, type, code, message, param, headers } = reply.error;
    throw new GatewayError(status, type, code, message, param, headers);
  }
}

function relayed(error: GatewayError): RelayedError {
  const { status, type, code, message, param, headers } = error;
  return { status, type, code, message, param, headers: { ...headers } };
}
