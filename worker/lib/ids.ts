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
  | 'alr'
  | 'ntf'
  // service desk: tickets, comments, time entries, attachments, ticket events, calendars,
  // SLA policies, ticket rules; integrations, deliveries, notification policies
  | 'tkt'
  | 'tcm'
  | 'tte'
  | 'tat'
  | 'tev'
  | 'cal'
  | 'sla'
  | 'trl'
  | 'itg'
  | 'dlv'
  | 'ntp'
  // automation: scripts, bulk jobs
  | 'scr'
  | 'job'
  // asset management: inventory change records, saved fleet searches
  | 'chg'
  | 'srh'
  // licences
  | 'lic'
  // software deployment: catalog packages and their versions
  | 'pkg'
  | 'pkv'
  // patch schedules
  | 'psc';

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

/**
 * An id that is the same every time for the same parts (a retried step must not make a
 * second row), and as short as a random one: the prefix and 26 characters of SHA-256.
 */
export async function stableId(prefix: IdPrefix, ...parts: (string | number)[]): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(parts.join('\u0000'))));
  let out = '';
  for (let i = 0; i < 26; i++) out += ALPHABET[digest[i]! & 31];
  return `${prefix}_${out}`;
}
