// The benchmark's upstream in its own process: the loopback fake OpenAI upstream, nothing recorded.
// Prints `ready <port>` once it listens.
import { startFakeUpstream } from '../fixtures/upstream/openai-upstream.js';

const upstream = await startFakeUpstream({ record: false, key: process.env.BENCH_UPSTREAM_KEY });
process.stdout.write(`ready ${new URL(upstream.url).port}\n`);
process.on('SIGTERM', () => void upstream.close().then(() => process.exit(0)));
