import { expect } from 'chai';
import { parseDirectives } from '../../fixtures/agents/directive-parser.js';

describe('parseDirectives (scripted agent)', () => {
  it('returns no directive for plain text', () => {
    expect(parseDirectives('hello world')).to.deep.equal([]);
  });

  it('reads name, key=value arguments and quoted positionals in order of appearance', () => {
    expect(
      parseDirectives('say [[text "some words" chunks=3 delay=20]] then [[plan "one" "two"]] [[crash]]'),
    ).to.deep.equal([
      { name: 'text', args: { chunks: '3', delay: '20' }, positional: ['some words'] },
      { name: 'plan', args: {}, positional: ['one', 'two'] },
      { name: 'crash', args: {}, positional: [] },
    ]);
  });

  it('unescapes \\n, \\t, \\" and \\\\ inside double quotes', () => {
    const [directive] = parseDirectives('[[tool output="file1\\nfile2\\t\\"x\\" \\\\"]]');
    expect(directive?.args.output).to.equal('file1\nfile2\t"x" \\');
  });

  it('keeps single-quoted values literal, brackets included', () => {
    const [directive] = parseDirectives(`[[tool input='{"command":"echo [[x]]"}' status=failed]]`);
    expect(directive?.args).to.deep.equal({ input: '{"command":"echo [[x]]"}', status: 'failed' });
  });

  it('reads directives spread over several lines', () => {
    const text = '[[think "hmm"]]\n[[usage input=200 output=80\n  total=280]]';
    expect(parseDirectives(text).map((d) => [d.name, d.args])).to.deep.equal([
      ['think', {}],
      ['usage', { input: '200', output: '80', total: '280' }],
    ]);
  });

  it('treats an unterminated directive and what follows as text', () => {
    expect(parseDirectives('[[text "a"]] [[text "never closed')).to.have.length(1);
    expect(parseDirectives('[[sleep ms=5')).to.deep.equal([]);
  });

  it('skips empty brackets and brackets that open with a quoted string', () => {
    expect(parseDirectives('[[ ]] [["text"]] [[stop reason=refusal]]')).to.deep.equal([
      { name: 'stop', args: { reason: 'refusal' }, positional: [] },
    ]);
  });

  it('accepts an empty value after =', () => {
    expect(parseDirectives('[[text chunks= ]]')[0]?.args).to.deep.equal({ chunks: '' });
  });
});
