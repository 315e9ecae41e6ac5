import type { ServiceInfo } from '../../../protocol/device-state';

type State = ServiceInfo['state'];
type StartMode = ServiceInfo['startMode'];

export interface UnitRow {
  unit: string;
  load: string;
  active: string;
  sub: string;
  description: string;
}

const STATE: Record<string, State> = {
  active: 'running',
  reloading: 'running',
  inactive: 'stopped',
  failed: 'failed',
  activating: 'starting',
  deactivating: 'stopping',
};

/** Unit-file states: enabled units start at boot; disabled ones only by hand; masked never. */
const START_MODE: Record<string, StartMode> = {
  enabled: 'auto',
  'enabled-runtime': 'auto',
  linked: 'auto',
  'linked-runtime': 'auto',
  disabled: 'manual',
  masked: 'disabled',
  'masked-runtime': 'disabled',
};

const str = (x: unknown) => (typeof x === 'string' ? x : '');

/** `systemctl list-units --type=service --all --output=json` (systemd 246 and later). */
export function parseUnitsJson(text: string): UnitRow[] | null {
  let rows: unknown;
  try {
    rows = JSON.parse(text);
  } catch {
    return null;
  }
  if (!Array.isArray(rows)) return null;
  return rows
    .filter((r): r is Record<string, unknown> => !!r && typeof r === 'object')
    .map((r) => ({ unit: str(r.unit), load: str(r.load), active: str(r.active), sub: str(r.sub), description: str(r.description) }))
    .filter((r) => r.unit);
}

/** The same with `--plain --no-legend` for older systemd: `unit load active sub description…`. */
export function parseUnitsPlain(text: string): UnitRow[] {
  const rows: UnitRow[] = [];
  for (const raw of text.split('\n')) {
    // A failed unit is marked with a bullet in the first column on some versions.
    const f = raw.replace(/^\s*[●*]\s*/, '').trim().split(/\s+/);
    if (f.length < 4 || !f[0].includes('.')) continue;
    rows.push({ unit: f[0], load: f[1], active: f[2], sub: f[3], description: f.slice(4).join(' ') });
  }
  return rows;
}

/** `systemctl list-unit-files --type=service` as JSON (`unit_file`, `state`) or plain text. */
export function parseUnitFiles(text: string): Map<string, string> {
  const out = new Map<string, string>();
  try {
    const rows = JSON.parse(text) as unknown;
    if (Array.isArray(rows)) {
      for (const r of rows) if (r && typeof r === 'object') out.set(str((r as Record<string, unknown>).unit_file), str((r as Record<string, unknown>).state));
      return out;
    }
  } catch {
    // plain text below
  }
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length >= 2 && f[0].includes('.')) out.set(f[0], f[1]);
  }
  return out;
}

/** Joins unit states with unit-file states; an instance (getty@tty1) takes its template's. */
export function systemdServices(units: UnitRow[], files: Map<string, string>): ServiceInfo[] {
  const out: ServiceInfo[] = [];
  for (const u of units) {
    // --all lists units that are referenced but not installed; they are not services here.
    if (u.load === 'not-found') continue;
    const template = u.unit.replace(/@[^.]*\./, '@.');
    const fileState = files.get(u.unit) ?? files.get(template) ?? '';
    out.push({
      name: u.unit.slice(0, 255),
      ...(u.description ? { displayName: u.description.slice(0, 255) } : {}),
      state: STATE[u.active] ?? 'other',
      startMode: START_MODE[fileState] ?? 'other',
    });
  }
  return out.slice(0, 5000);
}

/** `systemctl show --property=LoadState,ActiveState,SubState -- unit`: KEY=value lines. */
export function parseSystemctlShow(text: string): { load: string; active: string; sub: string } {
  const kv = new Map(text.split('\n').map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1).trim()] as const));
  return { load: kv.get('LoadState') ?? '', active: kv.get('ActiveState') ?? '', sub: kv.get('SubState') ?? '' };
}

export function systemdState(active: string): State {
  return STATE[active] ?? 'other';
}
