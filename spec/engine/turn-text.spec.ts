// A turn's text past its memory bound waits in an unlinked temp file and comes back exactly, once, when read.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { applyEvent, hasText, summaryWithText } from '../../lib/engine/turn-summary.js';
import { TurnText } from '../../lib/engine/turn-text.js';
import { openFilesUnder } from '../support/open-files.js';

describe('a turn text that outgrows memory', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'agw-turn-text-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('stays in memory, without a file, while it is small', () => {
    const text = new TurnText(dir, 64);
    text.append('hello ');
    text.append('world');
    expect(openFilesUnder(dir)).to.deep.equal([]);
    expect(text.toString()).to.equal('hello world');
    expect(text.length).to.equal(11);
  });

  it('moves to an unlinked file past its bound and reads back exactly, any string included', () => {
    const text = new TurnText(dir, 16);
    // A surrogate pair split across two deltas, a lone surrogate, CJK, and enough to cross several file writes.
    const deltas = [
      'Grüße ',
      '\ud83d',
      '\ude00 ',
      '漢字かな ',
      '\udc00',
      ...Array.from({ length: 300 }, (_, i) => `${i}:${'ж'.repeat(997)}\n`),
    ];
    for (const delta of deltas) text.append(delta);
    const open = openFilesUnder(dir);
    expect(open).to.have.length(1);
    expect(open[0]).to.match(/\(deleted\)$/);
    expect(readdirSync(dir), 'no name left in the directory').to.deep.equal([]);
    expect(text.length).to.equal(deltas.join('').length);
    expect(text.toString()).to.equal(deltas.join(''));
    expect(openFilesUnder(dir), 'the file is closed once read').to.deep.equal([]);
    text.append(' and more');
    expect(text.toString()).to.equal(`${deltas.join('')} and more`);
  });

  it('keeps the text in memory when no file can be made there', () => {
    const notADir = join(dir, 'file');
    writeFileSync(notADir, '');
    const text = new TurnText(notADir, 4);
    for (const delta of ['one ', 'two ', 'three']) text.append(delta);
    expect(text.toString()).to.equal('one two three');
  });

  it('is what a summary folds text events into: hasText needs no read-back, text reads it', () => {
    const text = new TurnText(dir, 8);
    const summary = summaryWithText(text);
    expect(hasText(summary)).to.equal(false);
    for (const delta of ['a long ', 'reply ', 'in pieces']) applyEvent(summary, { type: 'text', delta }, 0);
    expect(hasText(summary)).to.equal(true);
    expect(openFilesUnder(dir), 'hasText left the file alone').to.have.length(1);
    expect(summary.text).to.equal('a long reply in pieces');
    expect({ ...summary }.text, 'a copy carries the text').to.equal('a long reply in pieces');
    summary.text = 'replaced';
    expect(summary.text).to.equal('replaced');
    expect(openFilesUnder(dir)).to.deep.equal([]);
  });
});
