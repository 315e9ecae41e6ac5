import { openText, sealText } from '../crypto';

/* Licence keys are sealed under the master key; answers carry only the last four characters. */

export async function sealKey(masterKey: string, key: string | null | undefined): Promise<{ keyEnc: string | null; keyHint: string | null }> {
  if (!key) return { keyEnc: null, keyHint: null };
  return { keyEnc: await sealText(masterKey, key), keyHint: key.slice(-4) };
}

export async function openKey(masterKey: string, keyEnc: string): Promise<string> {
  return openText(masterKey, keyEnc);
}
