const dateTime = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'short',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
});

export function formatDateTime(ms: number | null | undefined): string {
  return ms ? dateTime.format(ms) : '—';
}

const dateTimeSeconds = new Intl.DateTimeFormat(undefined, {
  month: 'short',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/** For histories whose steps can be seconds apart (alert events, event logs). */
export function formatDateTimeSeconds(ms: number | null | undefined): string {
  return ms ? dateTimeSeconds.format(ms) : '—';
}

/** "12 s ago", "5 min ago", "3 h ago", "4 d ago", or the date when older than a month. */
export function relativeTime(ms: number | null | undefined, now: number): string {
  if (!ms) return 'never';
  const s = Math.round((now - ms) / 1000);
  if (s < 0) return s > -60 ? 'just now' : `in ${formatDuration(-s)}`;
  if (s < 10) return 'just now';
  if (s < 30 * 86400) return `${formatDuration(s)} ago`;
  return formatDateTime(ms);
}

/** Compact duration from seconds: "42 s", "5 min", "3 h", "4 d". */
export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${Math.round(seconds)} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)} h`;
  return `${Math.floor(seconds / 86400)} d`;
}

export function formatMs(ms: number | null | undefined): string {
  if (ms == null) return '—';
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

export function formatBytes(bytes: number): string {
  let n = bytes;
  let u = 0;
  while (n >= 1024 && u < UNITS.length - 1) {
    n /= 1024;
    u++;
  }
  return `${n.toFixed(n >= 100 || u === 0 ? 0 : 1)} ${UNITS[u]}`;
}

export function formatRate(bytesPerSecond: number): string {
  return `${formatBytes(bytesPerSecond)}/s`;
}

export function percent(part: number, whole: number): number {
  return whole > 0 ? Math.min(100, Math.max(0, (part / whole) * 100)) : 0;
}
