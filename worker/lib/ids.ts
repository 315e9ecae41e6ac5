// Time-ordered ids (48-bit ms timestamp + 80 random bits, Crockford base32), with a type
// prefix so an id says what it names. Sorting by id is sorting by creation time.
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

export type IdPrefix =
  | 'ten'
  | 'usr'
  | 'tok'
  | 'cli'
  | 'sit'
  | 'dev'
  | 'grp'
  | 'enr'
  | 'cmd'
  | 'aud'
  // monitoring: check sets, assignments, escalation policies, maintenance windows, alerts
  | 'chk'
  | 'csa'
  | 'esc'
  | 'mnt'
  | 'alr';

export function newId(prefix: IdPrefix, now = Date.now()): string {
  let time = '';
  let t = now;
  for (let i = 0; i < 10; i++) {
    time = ALPHABET[t % 32] + time;
    t = Math.floor(t / 32);
  }
  const rand = crypto.getRandomValues(new Uint8Array(16));
  let tail = '';
  for (let i = 0; i < 16; i++) tail += ALPHABET[rand[i] & 31];
  return `${prefix}_${time}${tail}`;
}
