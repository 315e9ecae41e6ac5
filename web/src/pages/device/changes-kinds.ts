import type { ChangeKind } from '../../../../protocol/inventory';

/** How each kind of change reads in a timeline: a symbol, a word and a tone. */
export const CHANGE_LOOK: Record<ChangeKind, { icon: string; label: string; tone: 'ok' | 'bad' | 'info' | 'warn' }> = {
  software_added: { icon: '+', label: 'added', tone: 'ok' },
  software_removed: { icon: '−', label: 'removed', tone: 'bad' },
  software_updated: { icon: '↑', label: 'updated', tone: 'info' },
  hardware_changed: { icon: '⚙', label: 'hardware', tone: 'warn' },
  os_changed: { icon: '◆', label: 'OS', tone: 'warn' },
};

const dayFormat = new Intl.DateTimeFormat(undefined, { weekday: 'short', year: 'numeric', month: 'short', day: '2-digit' });
const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });

export const formatTime = (ms: number) => timeFormat.format(ms);

/** Newest-first rows in runs of one local day each, keeping their order. */
export function groupByDay<T extends { at: number }>(rows: T[]): { day: string; rows: T[] }[] {
  const out: { day: string; rows: T[] }[] = [];
  for (const r of rows) {
    const day = dayFormat.format(r.at);
    const last = out[out.length - 1];
    if (last?.day === day) last.rows.push(r);
    else out.push({ day, rows: [r] });
  }
  return out;
}

/** A YYYY-MM-DD date input as local midnight (from) or the day's last millisecond (to). */
export function dayBound(value: string, end: boolean): string | undefined {
  if (!value) return undefined;
  const at = new Date(`${value}T00:00:00`).getTime();
  if (Number.isNaN(at)) return undefined;
  return String(end ? at + 86_400_000 - 1 : at);
}
