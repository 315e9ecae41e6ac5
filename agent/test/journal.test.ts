import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Journal } from '../src/journal';
import { tempDir } from './helpers/agent-process';

const dirs: { remove(): void }[] = [];
afterEach(() => dirs.splice(0).forEach((d) => d.remove()));
function file(): string {
  const d = tempDir();
  dirs.push(d);
  return join(d.path, 'journal.jsonl');
}

describe('command journal', () => {
  it('remembers ids, nonces and state across a reopen; the last record wins', () => {
    const path = file();
    const now = Date.now();
    const j = Journal.open(path, now);
    j.record({ id: 'cmd_a', nonce: 'n-a', exp: now + 60_000, s: 'started' });
    j.record({ id: 'cmd_b', nonce: 'n-b', exp: now + 60_000, s: 'started' });
    j.record({ id: 'cmd_b', nonce: 'n-b', exp: now + 60_000, s: 'finished' });
    j.close();

    const k = Journal.open(path, now);
    expect(k.get('cmd_a')?.s).toBe('started');
    expect(k.get('cmd_b')?.s).toBe('finished');
    expect(k.nonceSeen('n-a')).toBe(true);
    expect(k.nonceSeen('n-c')).toBe(false);
    expect(k.unfinished().map((e) => e.id)).toEqual(['cmd_a']);
    k.close();
  });

  it('forgets finished commands an hour after they expired, never unfinished ones', () => {
    const path = file();
    const now = Date.now();
    const j = Journal.open(path, now);
    j.record({ id: 'old', nonce: 'n-old', exp: now - 2 * 3600_000, s: 'finished' });
    j.record({ id: 'recent', nonce: 'n-recent', exp: now - 60_000, s: 'finished' });
    j.record({ id: 'stuck', nonce: 'n-stuck', exp: now - 2 * 3600_000, s: 'started' });
    j.prune(now);
    expect(j.get('old')).toBeUndefined();
    expect(j.nonceSeen('n-old')).toBe(false);
    expect(j.get('recent')).toBeDefined();
    expect(j.get('stuck')).toBeDefined();
    j.close();
    expect(readFileSync(path, 'utf8')).not.toContain('n-old');
    const k = Journal.open(path, now);
    expect(k.get('recent')?.s).toBe('finished');
    k.close();
  });
});
