import { describe, expect, it } from 'vitest';
import { parseConsoleOwner, parseDscl, parseLoginctlSessions, parsePasswd, parseWho } from '../src/parsers/logins';
import { fixture } from './helpers/fixtures';

describe('who is at the console', () => {
  it('loginctl: the active seated session, not the login screen or an ssh session', () => {
    expect(parseLoginctlSessions(fixture('loginctl-sessions.json'))).toBe('alice');
    // Older systemd: no state column, empty seat as "".
    expect(parseLoginctlSessions('[{"session":"4","uid":1001,"user":"bob","seat":"","tty":"pts/0"},{"session":"2","uid":1000,"user":"carol","seat":"seat0","tty":"tty2"}]')).toBe('carol');
    expect(parseLoginctlSessions('[{"session":"4","uid":1001,"user":"bob","seat":null,"tty":"pts/0"}]')).toBeNull();
    expect(parseLoginctlSessions('[]')).toBeNull();
    expect(parseLoginctlSessions('No sessions.')).toBeNull();
  });

  it('who: a display or virtual console, never a remote terminal', () => {
    expect(parseWho(fixture('who-desktop.txt'))).toBe('alice');
    expect(parseWho(fixture('who-remote-only.txt'))).toBeNull();
    expect(parseWho('dave     tty1         2026-12-01 07:00\n')).toBe('dave');
    expect(parseWho('')).toBeNull();
    // A terminal window of the local display counts when nothing better is listed.
    expect(parseWho('erin     pts/0        2026-12-01 09:10 (:1)\n')).toBe('erin');
  });

  it('macOS: the owner of /dev/console, except root at the login window', () => {
    expect(parseConsoleOwner(fixture('stat-console-user.txt'))).toBe('alice');
    expect(parseConsoleOwner(fixture('stat-console-loginwindow.txt'))).toBeNull();
    expect(parseConsoleOwner('_mbsetupuser\n')).toBeNull();
  });

  it('reads uid, gid and home from passwd and dscl records', () => {
    expect(parsePasswd('nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n', 'nobody')).toEqual({ name: 'nobody', uid: 65534, gid: 65534, home: '/nonexistent' });
    expect(parsePasswd('root:x:0:0:root:/root:/bin/bash\n', 'nobody')).toBeNull();
    expect(parsePasswd('odd:x::1:x:/home/odd:/bin/sh\n', 'odd')).toBeNull();
    expect(parseDscl(fixture('dscl-user.txt'), 'alice')).toEqual({ name: 'alice', uid: 501, gid: 20, home: '/Users/alice' });
    expect(parseDscl('No such key: UniqueID\n', 'alice')).toBeNull();
  });
});
