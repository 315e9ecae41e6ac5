import type { CreateCommand } from '../../../../protocol/api/devices';
import { api, call } from '../../api/client';
import type { DeviceLive } from './device-live';
import { trackCommand, type TrackedCommand } from './command-tracker';

/** Queue a command and follow it like a script: its result streams in. */
export async function sendDeviceCommand(
  deviceId: string,
  live: DeviceLive,
  body: CreateCommand,
  onFinal?: () => void,
): Promise<TrackedCommand> {
  const res = await call(api.devices[':id'].commands.$post({ param: { id: deviceId }, json: body }));
  return trackCommand(live, res.command, onFinal);
}

/** One line for a command of any type, for titles and the history. Names come from agents: text only. */
export function describeCommand(type: string, params: unknown): string {
  const p = (params ?? {}) as Record<string, unknown>;
  if (type === 'service') return `${String(p.action ?? '?')} service ${String(p.name ?? '?')}`;
  if (type === 'power') return `${String(p.action ?? 'reboot')} in ${String(p.delaySeconds ?? 60)} s${p.message ? ` — ${String(p.message)}` : ''}`;
  if (type === 'power_cancel') return 'cancel pending reboot / shutdown';
  if (type === 'process_list') return 'collect process list';
  if (type === 'fetch_file') return `fetch file ${String(p.path ?? '')}`;
  if (type === 'registry_read') return `read registry ${String(p.hive ?? '')}\\${String(p.key ?? '')}${p.value ? ` [${String(p.value)}]` : ''}`;
  if (type === 'kill_process') return `${p.force ? 'force-kill' : 'end'} process ${String(p.name ?? '')} (pid ${String(p.pid ?? '?')})`.replace('  ', ' ');
  const script = typeof p.script === 'string' ? p.script.split('\n', 1)[0]!.slice(0, 120) : '';
  return `${typeof p.interpreter === 'string' ? p.interpreter : ''} ${script}`.trim();
}
