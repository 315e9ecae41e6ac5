import { describe, expect, it } from 'vitest';
import { importSigningKey, verifyCommand } from '../src/verify';
import { newHubIdentity, signCommand, type CommandOverrides } from './helpers/fake-hub';

const id = newHubIdentity();
const hub = { command: (over?: CommandOverrides) => signCommand(id, over) };
const ctx = () => ({ key: importSigningKey(id.publicKeyB64), deviceId: id.deviceId, tenantId: id.tenantId, now: Date.now() });

describe('command verification', () => {
  it('accepts a command signed by the pinned key for this device', () => {
    const { signed, id: cmdId } = hub.command();
    const v = verifyCommand(signed, ctx());
    expect(v.ok && v.cmd.id).toBe(cmdId);
  });

  it('checks the signature over the exact bytes before reading anything', () => {
    const { signed } = hub.command();
    // Same JSON meaning, different bytes: a re-serialisation must not pass.
    const spaced = { ...signed, payload: signed.payload.replace('"v":1', '"v": 1') };
    expect(verifyCommand(spaced, ctx())).toMatchObject({ ok: false, status: 'rejected', error: 'bad signature' });
    const other = newHubIdentity();
    expect(verifyCommand(signed, { ...ctx(), key: importSigningKey(other.publicKeyB64) })).toMatchObject({ ok: false, error: 'bad signature' });
  });

  it('refuses other devices, other tenants, expired and future commands', () => {
    const now = Date.now();
    const cases: [CommandOverrides, string, string][] = [
      [{ deviceId: 'dev_someoneelse' }, 'rejected', 'another device'],
      [{ tenantId: 'ten_someoneelse' }, 'rejected', 'another tenant'],
      [{ expiresAt: now - 1 }, 'expired', 'expired'],
      [{ issuedAt: now + 10 * 60_000, expiresAt: now + 20 * 60_000 }, 'rejected', 'future'],
      [{ issuedAt: now, expiresAt: now + 30 * 24 * 3600_000 }, 'rejected', 'lifetime'],
    ];
    for (const [over, status, error] of cases) {
      const v = verifyCommand(hub.command(over).signed, ctx());
      expect(v.ok).toBe(false);
      if (!v.ok) {
        expect(v.status).toBe(status);
        expect(v.error).toContain(error);
        expect(v.signed).not.toBeNull();
      }
    }
  });

  it('rejects a signed payload that does not match the command schema', () => {
    const v = verifyCommand(hub.command({ params: { interpreter: 'cmd' as 'bash' } }).signed, ctx());
    expect(v).toMatchObject({ ok: false, status: 'rejected' });
    if (!v.ok) expect(v.error).toMatch(/^invalid command: params.interpreter/);
  });
});
