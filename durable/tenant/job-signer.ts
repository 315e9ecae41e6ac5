import { eq } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/d1';
import { tenants } from '../../db/schema';
import type { CommandPayload, SignedCommand } from '../../protocol/command';
import { b64, decryptWithMaster } from '../../worker/lib/crypto';

/**
 * Signs a job's commands with the tenant's Ed25519 key, opened once per hub instance rather
 * than once per command: a job over a thousand devices signs a thousand payloads at once.
 * The payload is built exactly as worker/lib/command-signing.ts builds it.
 */
export class JobSigner {
  private key: Promise<CryptoKey> | null = null;

  constructor(
    private readonly d1: D1Database,
    private readonly masterKey: string,
    private readonly tenantId: () => Promise<string>,
  ) {}

  private async load(): Promise<CryptoKey> {
    const tenantId = await this.tenantId();
    const row = await drizzle(this.d1).select({ key: tenants.signingPrivateKeyEnc }).from(tenants).where(eq(tenants.id, tenantId)).get();
    if (!row) throw new Error(`tenant ${tenantId} has no signing key`);
    const pkcs8 = await decryptWithMaster(this.masterKey, row.key);
    return crypto.subtle.importKey('pkcs8', pkcs8 as Uint8Array<ArrayBuffer>, { name: 'Ed25519' }, false, ['sign']);
  }

  async sign(payload: Omit<CommandPayload, 'v' | 'nonce'>): Promise<SignedCommand> {
    this.key ??= this.load().catch((err: unknown) => {
      this.key = null;
      throw err;
    });
    const key = await this.key;
    const full = { v: 1, ...payload, nonce: b64(crypto.getRandomValues(new Uint8Array(18))) } as CommandPayload;
    const text = JSON.stringify(full);
    const sig = b64(await crypto.subtle.sign({ name: 'Ed25519' }, key, new TextEncoder().encode(text)));
    return { payload: text, sig };
  }
}
