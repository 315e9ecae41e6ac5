import type { LookupFailure } from './adapter';

/*
 * Serials come from devices, so they are checked before they reach a vendor URL: only letters
 * and digits (a comma or ampersand would ask the vendor about another device), in the lengths
 * that vendor issues.
 */

export interface SerialRule {
  min: number;
  max: number;
}

/** Trimmed, upper-cased and de-duplicated serials that fit `rule`, and a failure for each other one. */
export function checkSerials(serials: string[], rule: SerialRule): { valid: string[]; failures: LookupFailure[] } {
  const valid = new Set<string>();
  const failures: LookupFailure[] = [];
  for (const raw of serials) {
    const serial = raw.trim().toUpperCase();
    if (!/^[A-Z0-9]+$/.test(serial)) failures.push({ serial: raw, reason: 'invalid serial: only letters and digits are allowed' });
    else if (serial.length < rule.min || serial.length > rule.max) {
      const span = rule.min === rule.max ? `${rule.min}` : `${rule.min}–${rule.max}`;
      failures.push({ serial: raw, reason: `invalid serial: must be ${span} characters long` });
    } else valid.add(serial);
  }
  return { valid: [...valid], failures };
}
