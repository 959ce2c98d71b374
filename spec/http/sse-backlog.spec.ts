// backlogWriter (lib/sse.ts) on a real loopback server: a backlog past MEMORY_BACKLOG_BYTES waits in a temp file and
// goes out in order; where no file can be made it stays in memory, still in order; end() waits for the file.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { backlogWriter, MEMORY_BACKLOG_BYTES, type StreamCut } from '../../lib/sse.js';
import { openFilesUnder } from '../support/open-files.js';
import { sleep } from '../support/redis-server.js';

/** 30,000 numbered lines of 1 KB: 30 MB, more than the kernel's socket buffers and a stream's memory hold. */
const LINES = Array.from({ length: 30_000 }, (_, i) => `${String(i).padStart(5, '0')} ${'x'.repeat(1018)}\n`);

describe('a stream backlog behind a client that does not read', () => {
  let dir: string;
  let server: Server;
  let cuts: StreamCut[];
  let spillDir: string;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'agw-backlog-'));
    spillDir = dir;
    cuts = [];
    server = createServer((_req: IncomingMessage, res: ServerResponse) => {
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
      const writer = backlogWriter(
        res,
        { maxBufferedBytes: 64 * 1024 * 1024, stallTimeoutMs: 10_000, spillDir },
        (why) => cuts.push(why),
      );
      for (const line of LINES) writer.write(line);
      writer.end();
    });
    server.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
  });

  afterEach(() => {
    server.closeAllConnections();
    server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Reads the first bytes, pauses for `pauseMs`, then reads to the end. */
  function readSlowly(pauseMs: number): Promise<string> {
    const { port } = server.address() as AddressInfo;
    return new Promise((resolve, reject) => {
      request({ port, host: '127.0.0.1', path: '/', agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.once('data', (first: Buffer) => {
          chunks.push(first);
          res.pause();
          setTimeout(() => {
            res.on('data', (more: Buffer) => chunks.push(more));
            res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
            res.resume();
          }, pauseMs);
        });
        res.on('error', reject);
      })
        .on('error', reject)
        .end();
    });
  }

  it('keeps what passes memory in an unlinked file and delivers every byte in order, then ends', async () => {
    const reading = readSlowly(500);
    await sleep(200);
    const open = openFilesUnder(dir);
    expect(open, 'one file, unlinked').to.have.length(1);
    expect(open[0]).to.match(/\(deleted\)$/);
    expect(readdirSync(dir), 'the file has no name').to.deep.equal([]);
    expect(await reading).to.equal(LINES.join(''));
    expect(cuts).to.deep.equal([]);
    expect(Buffer.byteLength(LINES.join(''))).to.be.above(20 * MEMORY_BACKLOG_BYTES);
  });

  it('keeps the backlog in memory, in order, where no file can be made', async () => {
    spillDir = join(dir, 'not-a-dir');
    writeFileSync(spillDir, '');
    expect(await readSlowly(300)).to.equal(LINES.join(''));
    expect(cuts).to.deep.equal([]);
  });
});
