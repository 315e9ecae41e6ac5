import type { EventEntry } from '../../../protocol/device-state';
import { asArray, asRecord, psNumber, psString } from '../powershell';
import { eventEntry } from './event-text';

export const EVENT_LOGS = ['System', 'Application'] as const;
export type EventLogName = (typeof EVENT_LOGS)[number];
/** The last record id read from each log, and when the agent first started reading (ms). */
export type WindowsCursor = Record<EventLogName, number> & { since?: number };

/*
 * Record ids only grow within one log, so "after record N" is an exact cursor. The saved ids
 * arrive through an environment variable; the script also reports each log's newest id so a
 * cleared log (ids restart at 1) is noticed instead of silently hiding everything newer.
 * Nothing older than the first start is read, even from a log whose newest id could not be
 * learnt then: the first run never replays a log's history.
 */
export const WINDOWS_EVENTS_SCRIPT = `
$cursor = $env:TETHER_EVENT_CURSOR | ConvertFrom-Json
$max = [int]$env:TETHER_EVENT_MAX
$age = [long]$env:TETHER_EVENT_MAX_AGE_MS
$events = @()
$newest = [ordered]@{}
foreach ($log in 'System', 'Application') {
  $last = Get-WinEvent -LogName $log -MaxEvents 1 -ErrorAction SilentlyContinue
  $newest[$log] = if ($last) { $last.RecordId } else { 0 }
  if ($max -le 0) { continue }
  $after = [long]$cursor.$log
  $xpath = "*[System[(Level=1 or Level=2) and EventRecordID > $after and TimeCreated[timediff(@SystemTime) <= $age]]]"
  foreach ($e in @(Get-WinEvent -LogName $log -FilterXPath $xpath -MaxEvents $max -Oldest -ErrorAction SilentlyContinue)) {
    $events += [pscustomobject]@{ log = $log; record = $e.RecordId; ms = ([DateTimeOffset]$e.TimeCreated).ToUnixTimeMilliseconds(); level = $e.Level; provider = $e.ProviderName; id = $e.Id; message = $e.Message }
  }
}
[pscustomobject]@{ newest = $newest; events = @($events) } | ConvertTo-Json -Compress -Depth 4
`;

export interface WindowsEvent {
  log: EventLogName;
  record: number;
  entry: EventEntry;
}

export function parseWindowsEvents(json: unknown): { newest: Partial<WindowsCursor>; events: WindowsEvent[] } | null {
  const root = asRecord(json);
  if (!root) return null;
  const newestRec = asRecord(root.newest) ?? {};
  const newest: Partial<WindowsCursor> = {};
  for (const log of EVENT_LOGS) {
    const n = psNumber(newestRec[log]);
    if (n !== null) newest[log] = n;
  }
  const events: WindowsEvent[] = [];
  for (const e of asArray(root.events)) {
    const log = EVENT_LOGS.find((l) => l === e.log);
    const record = psNumber(e.record);
    const ms = psNumber(e.ms);
    const level = psNumber(e.level);
    if (!log || record === null || ms === null || (level !== 1 && level !== 2)) continue;
    const id = psNumber(e.id);
    events.push({
      log,
      record,
      entry: eventEntry({
        ts: ms,
        level: level === 1 ? 'critical' : 'error',
        source: psString(e.provider, 256) ?? log,
        eventId: id !== null && Number.isInteger(id) ? id : null,
        // Providers whose message files are missing give no text; the id still identifies it.
        message: psString(e.message, 4096) ?? `(no message text; event id ${id ?? '?'})`,
      }),
    });
  }
  return { newest, events };
}
