import type { SmartDisk } from '../../../protocol/device-state';

export interface ScannedDevice {
  name: string;
  type: string;
}

type Json = Record<string, unknown>;
const obj = (x: unknown): Json | null => (x && typeof x === 'object' && !Array.isArray(x) ? (x as Json) : null);
const num = (x: unknown): number | null => (typeof x === 'number' && Number.isFinite(x) ? x : null);

/*
 * The device names go back to smartctl as arguments: even though they come from smartctl
 * itself, only plain device paths are accepted, never anything that reads as an option.
 */
const DEVICE_NAME = /^(?!-)[A-Za-z0-9_.:/,\\-]{1,255}$/;
const DEVICE_TYPE = /^(?!-)[A-Za-z0-9_,+/-]{1,64}$/;

/** `smartctl --scan-open -j`: devices smartctl could open, with the -d type it chose. */
export function parseSmartScan(text: string): ScannedDevice[] {
  let root: Json | null;
  try {
    root = obj(JSON.parse(text));
  } catch {
    return [];
  }
  const devices = Array.isArray(root?.devices) ? root.devices : [];
  const out: ScannedDevice[] = [];
  for (const d of devices) {
    const dev = obj(d);
    const name = typeof dev?.name === 'string' ? dev.name : '';
    const type = typeof dev?.type === 'string' ? dev.type : '';
    if (!DEVICE_NAME.test(name) || (type && !DEVICE_TYPE.test(type)) || dev?.open_error) continue;
    if (!out.some((o) => o.name === name)) out.push({ name, type });
  }
  return out.slice(0, 64);
}

/** ATA attributes whose raw value counts damaged sectors: anything above zero is worth a look. */
const SECTOR_ATTRS: Record<number, string> = { 5: 'reallocated sectors', 197: 'pending sectors', 198: 'uncorrectable sectors' };

function ataNotes(root: Json): string[] {
  const table = obj(root.ata_smart_attributes)?.table;
  if (!Array.isArray(table)) return [];
  const notes: string[] = [];
  for (const a of table) {
    const attr = obj(a);
    if (!attr) continue;
    const id = num(attr.id);
    const failed = typeof attr.when_failed === 'string' ? attr.when_failed : '';
    if (failed === 'now' || failed === 'past') notes.push(`${String(attr.name ?? `attribute ${id}`)} ${failed === 'now' ? 'failing now' : 'failed in the past'}`);
    const raw = num(obj(attr.raw)?.value);
    if (id !== null && SECTOR_ATTRS[id] && raw !== null && raw > 0) notes.push(`${SECTOR_ATTRS[id]}: ${raw}`);
  }
  return notes;
}

function nvmeNotes(root: Json): string[] {
  const log = obj(root.nvme_smart_health_information_log);
  if (!log) return [];
  const notes: string[] = [];
  const warning = num(log.critical_warning);
  if (warning) notes.push(`critical warning 0x${warning.toString(16).padStart(2, '0')}`);
  const media = num(log.media_errors);
  if (media) notes.push(`media errors: ${media}`);
  const used = num(log.percentage_used);
  if (used !== null) notes.push(`${used}% of rated endurance used`);
  const spare = num(log.available_spare);
  const spareMin = num(log.available_spare_threshold);
  if (spare !== null && spareMin !== null && spare <= spareMin) notes.push(`spare capacity ${spare}% (threshold ${spareMin}%)`);
  return notes;
}

/**
 * `smartctl -i -H -A -j [-d type] <device>`. The exit status is a bit mask that is non-zero
 * for a failing disk too, so the JSON decides: `smart_status.passed` when present, else null
 * with smartctl's own message (no SMART support, no permission, disk asleep).
 */
export function parseSmartDevice(device: string, text: string): SmartDisk {
  let root: Json | null;
  try {
    root = obj(JSON.parse(text));
  } catch {
    root = null;
  }
  if (!root) return { device, healthy: null, detail: 'smartctl gave no readable answer' };
  const status = obj(root.smart_status);
  const passed = typeof status?.passed === 'boolean' ? status.passed : null;
  const messages = (Array.isArray(obj(root.smartctl)?.messages) ? (obj(root.smartctl)!.messages as unknown[]) : [])
    .map((m) => obj(m)?.string)
    .filter((s): s is string => typeof s === 'string');
  const notes = [...ataNotes(root), ...nvmeNotes(root)];
  if (passed === null && messages.length) notes.push(...messages);
  const temp = num(obj(root.temperature)?.current);
  const model = typeof root.model_name === 'string' ? root.model_name : typeof root.model_family === 'string' ? root.model_family : undefined;
  const serial = typeof root.serial_number === 'string' ? root.serial_number : undefined;
  const detail = notes.join('; ').slice(0, 1024);
  return {
    device: device.slice(0, 255),
    ...(model ? { model: model.slice(0, 255) } : {}),
    ...(serial ? { serial: serial.slice(0, 128) } : {}),
    healthy: passed,
    ...(temp !== null && temp > -50 && temp < 200 ? { temperatureC: temp } : {}),
    ...(detail ? { detail } : {}),
  };
}
