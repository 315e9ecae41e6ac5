import { openText, sealText } from '../crypto';

/*
 * A job's secret parameter values (PARAM_* → value) wait, sealed under TETHER_MASTER_KEY,
 * for devices that are offline; the hub opens them only to sign a dispatch.
 */

export async function sealSecrets(masterKey: string, secrets: Record<string, string>): Promise<string | null> {
  if (Object.keys(secrets).length === 0) return null;
  return sealText(masterKey, JSON.stringify(secrets));
}

export async function openSecrets(masterKey: string, sealed: string | null): Promise<Record<string, string>> {
  if (!sealed) return {};
  const parsed: unknown = JSON.parse(await openText(masterKey, sealed));
  if (typeof parsed !== 'object' || parsed === null) throw new Error('sealed job secrets are not an object');
  return Object.fromEntries(Object.entries(parsed).filter((e): e is [string, string] => typeof e[1] === 'string'));
}
