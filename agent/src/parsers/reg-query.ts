import type { RegistryReadResult } from '../../../protocol/command';

/** A value line: four spaces, name, four spaces, REG_ type, then four spaces and the data. */
const VALUE_LINE = /^ {4}(.*?) {4}(REG_[A-Z0-9_]+)(?: {4}(.*))?$/;

/** reg prints numbers in hex and REG_MULTI_SZ items joined by a literal \0. */
function readable(type: string, data: string): string {
  if ((type === 'REG_DWORD' || type === 'REG_QWORD') && /^0x[0-9a-f]+$/i.test(data)) return BigInt(data).toString();
  if (type === 'REG_MULTI_SZ') return data.split('\\0').join('\n');
  return data;
}

/**
 * `reg query "<HIVE>\<key>" [/v <name> | /ve]` output: a blank line, the key's full name,
 * its values (indented), a blank line, then one line per subkey (its full name).
 */
export function parseRegQuery(text: string): RegistryReadResult | null {
  const lines = text.split(/\r?\n/);
  let key: string | null = null;
  const values: RegistryReadResult['values'] = [];
  const subkeys: string[] = [];
  for (const line of lines) {
    if (!line.trim()) continue;
    if (line.startsWith(' ')) {
      const m = VALUE_LINE.exec(line);
      if (key !== null && m && subkeys.length === 0) values.push({ name: m[1], type: m[2], data: readable(m[2], m[3] ?? '') });
      continue;
    }
    if (/^End of search:/i.test(line)) continue;
    if (key === null) key = line.trim();
    else if (line.startsWith(`${key}\\`)) subkeys.push(line.slice(key.length + 1).trim());
  }
  return key === null ? null : { key, values, subkeys };
}
