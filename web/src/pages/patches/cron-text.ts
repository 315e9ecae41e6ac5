import { Cron } from 'croner';

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const pad = (n: string) => n.padStart(2, '0');

function dayList(field: string): string | null {
  if (field === '1-5') return 'Weekdays';
  if (field === '0,6' || field === '6,0') return 'Weekends';
  const parts = field.split(',');
  if (!parts.every((p) => /^[0-7]$/.test(p))) return null;
  const names = parts.map((p) => `${DAYS[Number(p) % 7]}s`);
  return names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/**
 * The usual five-field patterns in words ("Wednesdays at 02:00"); null for anything else,
 * which the form then shows by its next runs alone.
 */
export function describeCron(expr: string): string | null {
  const f = expr.trim().split(/\s+/);
  if (f.length !== 5) return null;
  const [min, hour, dom, month, dow] = f as [string, string, string, string, string];
  if (!/^\d{1,2}$/.test(min)) return null;
  if (hour === '*' && dom === '*' && month === '*' && dow === '*') return `Every hour at minute ${Number(min)}`;
  if (!/^\d{1,2}$/.test(hour)) return null;
  const at = `at ${pad(hour)}:${pad(min)}`;
  if (month !== '*') return null;
  if (dom === '*' && dow === '*') return `Every day ${at}`;
  if (dom === '*') {
    const days = dayList(dow);
    return days ? `${days} ${at}` : null;
  }
  if (dow === '*' && /^\d{1,2}$/.test(dom)) return `Day ${Number(dom)} of every month ${at}`;
  return null;
}

/** The next `n` runs in `timezone`, or the reason the pattern or zone is not valid. */
export function nextRuns(expr: string, timezone: string, n = 3): { runs: Date[] } | { error: string } {
  try {
    const job = new Cron(expr.trim(), { timezone: timezone || 'UTC', paused: true });
    const runs = job.nextRuns(n);
    job.stop();
    return { runs };
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err) };
  }
}
