import { describe, expect, it } from 'vitest';
import { TRUNCATION_MARKER } from '../../protocol/limits';
import { OutputCapture } from '../src/output-capture';
import { Redactor, redactText } from '../src/redact';

/** Feeds `pieces` through a redactor as one stream and returns what it let out, piece by piece. */
function stream(secrets: string[], pieces: string[]): string[] {
  const r = new Redactor(secrets);
  const out = pieces.map((p) => r.write('stdout', p));
  out.push(r.end('stdout'));
  return out;
}

describe('secret redaction', () => {
  it('masks every occurrence, longest secret first where two start together', () => {
    expect(redactText('user=admin pass=hunter2 again hunter2', ['hunter2'])).toBe('user=admin pass=****** again ******');
    expect(redactText('key abc123 and abc', ['abc', 'abc123'])).toBe('key ****** and ******');
    expect(redactText('nothing here', [])).toBe('nothing here');
    // An empty value would match between every character.
    expect(redactText('abc', [''])).toBe('abc');
  });

  it('catches a secret split across two pieces and holds back only a possible start', () => {
    const out = stream(['hunter2'], ['password: hun', 'ter2\nnext line hu', 'go\n']);
    expect(out.join('')).toBe('password: ******\nnext line hugo\n');
    // Nothing of the secret left before the second piece arrived.
    expect(out[0]).toBe('password: ');
    expect(out[1]).toBe('******\nnext line ');
  });

  it('catches a secret arriving one character at a time', () => {
    const text = 'a s3cr3t! b';
    const out = stream(['s3cr3t!'], [...text]);
    expect(out.join('')).toBe('a ****** b');
    expect(out.some((piece) => piece.includes('s3'))).toBe(false);
  });

  it('releases a held-back start at the end when no secret followed', () => {
    expect(stream(['hunter2'], ['ends with hunt'])).toEqual(['ends with ', 'hunt']);
  });

  it('keeps streams apart: a start on stdout is not completed by stderr', () => {
    const r = new Redactor(['hunter2']);
    expect(r.write('stdout', 'x hun')).toBe('x ');
    expect(r.write('stderr', 'ter2')).toBe('ter2');
    expect(r.write('stdout', 'ter2')).toBe('******');
  });

  it('masks secrets in captured output across chunk boundaries and flushes', async () => {
    const sent: string[] = [];
    const capture = new OutputCapture((_s, d) => sent.push(d), { flushMs: 1, secrets: ['correct horse'] });
    capture.write('stdout', Buffer.from('the password is corr'));
    await new Promise((r) => setTimeout(r, 20)); // the first piece is flushed on its own
    capture.write('stdout', Buffer.from('ect horse, really\n'));
    capture.end();
    expect(sent.join('')).toBe('the password is ******, really\n');
    expect(sent[0]).toBe('the password is ');
  });

  it('drops a possible secret start cut off by the output cap', () => {
    const sent: string[] = [];
    const capture = new OutputCapture((_s, d) => sent.push(d), { maxBytes: 12, secrets: ['topsecret'] });
    capture.write('stdout', Buffer.from('hello, tops'));
    capture.write('stdout', Buffer.from('ecret and more'));
    capture.end();
    expect(capture.truncated).toBe(true);
    expect(sent.join('')).toBe(`hello, ${TRUNCATION_MARKER}`);
  });
});
