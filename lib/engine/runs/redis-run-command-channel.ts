// Run commands over Redis pub/sub: every instance subscribes to `agw:run_commands:<instance>` on its own
// connection; a request names the sender, and the reply is published to the sender's channel. Pub/sub
// keeps nothing: a command to an instance nobody listens for is known at once (PUBLISH reaches 0 clients).
import { randomUUID } from 'node:crypto';
import type { RedisClientType } from '@keyv/redis';
import type { Logger } from '../../log.js';
import {
  type RunCommandChannel,
  type RunCommandHandler,
  type RunCommandKind,
  type RunCommandOf,
  type RunCommandReply,
  RunOwnerUnreachable,
} from './run-commands.js';

type Request<K extends RunCommandKind = RunCommandKind> = {
  type: 'request';
  id: string;
  from: string;
  command: RunCommandOf<K>;
};
type Message = Request | { type: 'reply'; id: string; reply: RunCommandReply };

interface Waiting {
  /** Takes the reply as it came off the wire: the owner answered the kind of command it was sent. */
  resolve(reply: RunCommandReply): void;
  reject(error: Error): void;
}

export class RedisRunCommandChannel implements RunCommandChannel {
  private subscriber: RedisClientType | null = null;
  private self: string | null = null;
  private readonly waiting = new Map<string, Waiting>();

  constructor(
    private readonly redis: RedisClientType,
    private readonly logger: Logger,
    private readonly prefix = 'agw:run_commands:',
  ) {}

  async serve(instance: string, handler: RunCommandHandler): Promise<void> {
    const subscriber = this.redis.duplicate() as RedisClientType;
    subscriber.on('error', (error: Error) => this.logger.warn({ err: error.message }, 'run command subscriber error'));
    await subscriber.connect();
    await subscriber.subscribe(this.prefix + instance, (raw: string) => this.receive(raw, handler));
    this.subscriber = subscriber;
    this.self = instance;
  }

  async send<K extends RunCommandKind>(
    instance: string,
    command: RunCommandOf<K>,
    timeoutMs: number,
  ): Promise<RunCommandReply<K>> {
    if (!this.self) throw new RunOwnerUnreachable(instance, 'this instance serves no command channel');
    const id = randomUUID();
    const reply = new Promise<RunCommandReply<K>>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(new RunOwnerUnreachable(instance, `no reply within ${timeoutMs} ms`));
      }, timeoutMs);
      const settle = () => {
        clearTimeout(timer);
        this.waiting.delete(id);
      };
      this.waiting.set(id, {
        resolve: (value: RunCommandReply<K>) => {
          settle();
          resolve(value);
        },
        reject: (error) => {
          settle();
          reject(error);
        },
      });
    });
    const message: Request<K> = { type: 'request', id, from: this.self, command };
    try {
      const receivers = Number(await this.redis.publish(this.prefix + instance, JSON.stringify(message)));
      if (receivers === 0) this.waiting.get(id)?.reject(new RunOwnerUnreachable(instance, 'nobody listens'));
    } catch (error) {
      this.waiting.get(id)?.reject(new RunOwnerUnreachable(instance, (error as Error).message));
    }
    return reply;
  }

  async dispose(): Promise<void> {
    for (const waiting of [...this.waiting.values()]) {
      waiting.reject(new RunOwnerUnreachable('?', 'the command channel closed'));
    }
    const subscriber = this.subscriber;
    this.subscriber = null;
    this.self = null;
    if (subscriber?.isOpen) subscriber.destroy();
  }

  private receive(raw: string, handler: RunCommandHandler): void {
    let message: Message;
    try {
      message = JSON.parse(raw) as Message;
    } catch {
      this.logger.warn({ raw: raw.slice(0, 200) }, 'run command channel: unreadable message dropped');
      return;
    }
    if (message.type === 'reply') {
      this.waiting.get(message.id)?.resolve(message.reply); // unknown ids: a reply that came after its timeout
      return;
    }
    void handler(message.command)
      .then((reply) => {
        const answer: Message = { type: 'reply', id: message.id, reply };
        return this.redis.publish(this.prefix + message.from, JSON.stringify(answer));
      })
      .catch((error: unknown) =>
        this.logger.warn({ err: error, command: message.command }, 'run command not answered'),
      );
  }
}
