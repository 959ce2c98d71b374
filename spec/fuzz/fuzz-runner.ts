// Runs the fuzz properties against a running gateway and tallies what came back (spec/fuzz/fuzz.spec.ts, bench/fuzz.ts).
import fc from 'fast-check';
import { rawExchange } from '../support/raw-http.js';
import { answerProblems, type FuzzRequest, rawRequestArbitrary, requestArbitrary } from './fuzz-requests.js';

export interface FuzzTally {
  cases: number;
  byStatus: Map<number, number>;
  /** Answers with no envelope, a missing security header or an undocumented 5xx: what each broke, and the request. */
  problems: Array<{ problem: string; request: string }>;
  /** Requests that got no answer at all (a reset, a hang past the timeout). */
  unanswered: number;
}

export const newTally = (): FuzzTally => ({ cases: 0, byStatus: new Map(), problems: [], unanswered: 0 });

function record(tally: FuzzTally, status: number, problems: string[], request: string): void {
  tally.cases++;
  tally.byStatus.set(status, (tally.byStatus.get(status) ?? 0) + 1);
  for (const problem of problems) if (tally.problems.length < 50) tally.problems.push({ problem, request });
}

/** One request through fetch; the SSE body of a stream is read to its end (a stream must finish too). */
async function send(url: string, request: FuzzRequest, tally: FuzzTally): Promise<void> {
  const label = `${request.method} ${request.path} ${JSON.stringify(request.headers)} ${request.body?.slice(0, 200) ?? ''}`;
  try {
    const res = await fetch(`${url}${request.path}`, {
      method: request.method,
      headers: request.headers,
      body: request.method === 'GET' || request.method === 'HEAD' ? undefined : request.body,
      signal: AbortSignal.timeout(15_000),
    });
    const body = await res.text();
    const headers = Object.fromEntries(res.headers.entries());
    record(tally, res.status, answerProblems(res.status, headers, body), label);
  } catch (error) {
    tally.unanswered++;
    if (tally.problems.length < 50)
      tally.problems.push({ problem: `no answer: ${(error as Error).message}`, request: label });
  }
}

export async function fuzzRequests(
  url: string,
  key: string,
  numRuns: number,
  seed: number,
  tally: FuzzTally,
): Promise<void> {
  await fc.assert(
    fc.asyncProperty(requestArbitrary(key), async (request) => {
      await send(url, request, tally);
    }),
    { numRuns, seed, endOnFailure: true },
  );
}

export async function fuzzRaw(
  url: string,
  key: string,
  numRuns: number,
  seed: number,
  tally: FuzzTally,
): Promise<void> {
  await fc.assert(
    fc.asyncProperty(rawRequestArbitrary(key), async (bytes) => {
      const label = `raw ${JSON.stringify(bytes.slice(0, 200))}`;
      try {
        const answer = await rawExchange(url, bytes, 2000);
        record(tally, answer.status, answerProblems(answer.status, answer.headers, answer.body), label);
      } catch (error) {
        // No head at all: the server closed without a word (or the bytes were an incomplete request it still waits on).
        tally.unanswered++;
        if (tally.problems.length < 50) tally.problems.push({ problem: (error as Error).message, request: label });
      }
    }),
    { numRuns, seed, endOnFailure: true },
  );
}
