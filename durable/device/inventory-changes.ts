import { canonicalJson, type ChangeKind, type HardwareInventory, type OsInventory, type SoftwareItem } from '../../protocol/inventory';

/*
 * What applying a snapshot changed, as the device_changes rows will say it. Pure functions
 * over the held and the new state, so the hub can judge alerts and write D1 from one result.
 */

export interface InventoryChange {
  kind: ChangeKind;
  /** The software's name, or the hardware/os field ("memory.totalBytes", "disks", "os.version"). */
  subject: string;
  source: string | null;
  fromValue: string | null;
  toValue: string | null;
}

/** A software item with the canonical JSON it is compared and stored by. */
export interface HeldItem {
  item: SoftwareItem;
  json: string;
}

const MAX_TEXT = 500;
const clip = (s: string) => (s.length > MAX_TEXT ? `${s.slice(0, MAX_TEXT - 1)}…` : s);

/** Keys whose D1 row must be written (upserted if still held, else deleted), and the change records. */
export function softwareChanges(held: Map<string, HeldItem>, next: Map<string, HeldItem>): { dirty: string[]; changes: InventoryChange[] } {
  const dirty: string[] = [];
  const changes: InventoryChange[] = [];
  for (const [key, n] of next) {
    const h = held.get(key);
    if (h?.json === n.json) continue;
    dirty.push(key);
    const it = n.item;
    if (!h) changes.push({ kind: 'software_added', subject: it.name, source: it.source, fromValue: null, toValue: it.version });
    else if (h.item.version !== it.version) {
      changes.push({ kind: 'software_updated', subject: it.name, source: it.source, fromValue: h.item.version, toValue: it.version });
    }
  }
  for (const [key, h] of held) {
    if (next.has(key)) continue;
    dirty.push(key);
    changes.push({ kind: 'software_removed', subject: h.item.name, source: h.item.source, fromValue: h.item.version, toValue: null });
  }
  return { dirty, changes };
}

export function osChanges(prev: OsInventory, next: OsInventory): InventoryChange[] {
  const out: InventoryChange[] = [];
  for (const field of ['platform', 'name', 'version', 'build', 'kernel', 'arch', 'installedAt'] as const) {
    const a = prev[field];
    const b = next[field];
    if (a === b) continue;
    out.push({ kind: 'os_changed', subject: `os.${field}`, source: null, fromValue: shown(field, a), toValue: shown(field, b) });
  }
  return out;
}

type Hw = HardwareInventory;
const OBJECT_SECTIONS = ['system', 'bios', 'baseboard', 'cpu'] as const;

const bytes = (n: number | null | undefined) => {
  if (n === null || n === undefined) return '?';
  const units = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];
  let v = n;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${Number(v.toFixed(v >= 100 || i === 0 ? 0 : 1))} ${units[i]}`;
};
const named = (...parts: (string | number | null | undefined)[]) => parts.filter((p) => p !== null && p !== undefined && p !== '').join(' ');

/*
 * Lists are compared by what identifies their members, not by readings that move on their
 * own (a volume's used bytes, a battery's health, a NIC's addresses): a change record says
 * the machine changed, not that it was used.
 */
const LISTS: { [K in keyof Hw]?: (hw: Hw) => string[] } = {
  disks: (hw) => hw.disks.map((d) => named(d.model ?? d.device, d.sizeBytes === null ? null : bytes(d.sizeBytes), d.serial ? `#${d.serial}` : null)),
  volumes: (hw) => hw.volumes.map((x) => named(x.mount, x.fs, x.sizeBytes === null ? null : bytes(x.sizeBytes))),
  gpus: (hw) => hw.gpus.map((g) => named(g.vendor, g.model, g.vramBytes === null ? null : bytes(g.vramBytes))),
  displays: (hw) => hw.displays.map((d) => named(d.vendor, d.model, d.serial ? `#${d.serial}` : null)),
  nics: (hw) => hw.nics.map((n) => named(n.name, n.mac, n.type)),
  usb: (hw) => hw.usb.map((u) => named(u.vendor, u.name, u.serial ? `#${u.serial}` : null)),
  battery: (hw) => (hw.battery ? [named(hw.battery.manufacturer, hw.battery.model, hw.battery.designCapacityWh === null ? null : `${hw.battery.designCapacityWh} Wh`)] : []),
  tpm: (hw) => (hw.tpm ? [hw.tpm.present ? named('TPM', hw.tpm.version, hw.tpm.manufacturer) : 'absent'] : []),
};

/** One change per changed field of the fixed sections, one per changed list. */
export function hardwareChanges(prev: Hw, next: Hw): InventoryChange[] {
  const out: InventoryChange[] = [];
  const push = (subject: string, from: string | null, to: string | null) =>
    out.push({ kind: 'hardware_changed', subject, source: null, fromValue: from === null ? null : clip(from), toValue: to === null ? null : clip(to) });
  for (const section of OBJECT_SECTIONS) {
    const a = prev[section] as Record<string, unknown>;
    const b = next[section] as Record<string, unknown>;
    for (const field of Object.keys({ ...a, ...b })) {
      if (canonicalJson(a[field]) !== canonicalJson(b[field])) push(`${section}.${field}`, shown(field, a[field]), shown(field, b[field]));
    }
  }
  if (prev.memory.totalBytes !== next.memory.totalBytes) push('memory.totalBytes', bytes(prev.memory.totalBytes), bytes(next.memory.totalBytes));
  const modules = (hw: Hw) => hw.memory.modules.map((m) => named(m.slot, m.sizeBytes === null ? null : bytes(m.sizeBytes), m.type, m.serial ? `#${m.serial}` : null));
  listChange('memory.modules', modules(prev), modules(next), push);
  for (const [field, summary] of Object.entries(LISTS) as [keyof Hw, (hw: Hw) => string[]][]) listChange(field, summary(prev), summary(next), push);
  if (prev.secureBoot !== next.secureBoot) push('secureBoot', onOff(prev.secureBoot), onOff(next.secureBoot));
  return out;
}

function listChange(subject: string, a: string[], b: string[], push: (s: string, from: string | null, to: string | null) => void): void {
  const sa = [...a].sort().join(', ');
  const sb = [...b].sort().join(', ');
  if (sa !== sb) push(subject, sa || 'none', sb || 'none');
}

const onOff = (b: boolean | null) => (b === null ? null : b ? 'on' : 'off');

function shown(field: string, value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' && /Bytes$/.test(field)) return bytes(value);
  if (typeof value === 'number' && /At$/.test(field)) return new Date(value).toISOString();
  if (typeof value === 'number' && field === 'speedMHz') return `${value} MHz`;
  return clip(typeof value === 'string' ? value : canonicalJson(value));
}

/** One change as an alert says it, e.g. "New software on web-01: nginx 1.24.0 (dpkg)". */
export function changeMessage(c: InventoryChange, host: string): string {
  const src = c.source ? ` (${c.source})` : '';
  const move = `${c.fromValue ?? 'none'} → ${c.toValue ?? 'none'}`;
  switch (c.kind) {
    case 'software_added':
      return `New software on ${host}: ${c.subject} ${c.toValue ?? ''}${src}`.replace(/ {2,}/g, ' ');
    case 'software_removed':
      return `Software removed on ${host}: ${c.subject} ${c.fromValue ?? ''}${src}`.replace(/ {2,}/g, ' ');
    case 'software_updated':
      return `Software updated on ${host}: ${c.subject} ${move}${src}`;
    case 'hardware_changed':
      return `Hardware changed on ${host}: ${c.subject} ${move}`;
    case 'os_changed':
      return `OS changed on ${host}: ${c.subject} ${move}`;
  }
}
