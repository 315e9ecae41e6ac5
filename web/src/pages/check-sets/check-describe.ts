import { METRICS, type CheckDef, type CheckType } from '../../../../protocol/checks';
import { formatBytes } from '../../lib/format';

export const CHECK_TYPE_LABEL: Record<CheckType, string> = {
  metric: 'Metric threshold',
  disk_free: 'Free disk space',
  service: 'Service running',
  process: 'Process',
  ping: 'Ping',
  tcp: 'TCP port',
  http: 'HTTP(S) endpoint',
  event_log: 'Event log',
  script: 'Script',
  smart: 'Disk health (SMART)',
  reboot_pending: 'Reboot pending',
  firewall: 'Firewall enabled',
  antivirus: 'Antivirus healthy',
  offline: 'Device offline',
  inventory_change: 'Inventory change',
};

const every = (c: { intervalSeconds: number; failAfter: number }) =>
  ` · every ${c.intervalSeconds} s${c.failAfter > 1 ? `, after ${c.failAfter} failures` : ''}`;

/** What a check watches, in one line: "CPU above 90 % for 300 s". */
export function describeCheck(c: CheckDef): string {
  switch (c.type) {
    case 'metric': {
      const m = METRICS[c.metric];
      const unit = m.unit ? ` ${m.unit}` : '';
      const clear = c.clear !== undefined ? `, clears at ${c.clear}${unit}` : '';
      return `${m.label} ${c.op} ${c.threshold}${unit}${c.forSeconds ? ` for ${c.forSeconds} s` : ''}${clear}`;
    }
    case 'disk_free': {
      const min = [c.minFreePercent !== undefined ? `${c.minFreePercent} %` : '', c.minFreeBytes !== undefined ? formatBytes(c.minFreeBytes) : ''].filter(Boolean).join(' and ');
      return `at least ${min} free on ${c.mount ?? 'every volume'}`;
    }
    case 'service':
      return `${c.service} running${c.restart ? ', restarted once if stopped' : ''}${every(c)}`;
    case 'process':
      return `${c.process} ${c.expect}${every(c)}`;
    case 'ping':
      return `ping ${c.host}${every(c)}`;
    case 'tcp':
      return `${c.host}:${c.port} accepts connections${every(c)}`;
    case 'http':
      return `${c.url} answers ${c.expectStatus ?? '2xx/3xx'}${c.contains ? ` containing “${c.contains}”` : ''}${every(c)}`;
    case 'event_log':
      return `${c.level} or worse${c.source ? ` from ${c.source}` : ''}${c.eventId !== undefined ? `, id ${c.eventId}` : ''}${c.pattern ? ` matching /${c.pattern}/i` : ''}; clears after ${c.clearAfterMinutes} min quiet`;
    case 'script':
      return `${c.interpreter} script, exit 0 passes${c.warningExitCodes.length ? `, ${c.warningExitCodes.join(', ')} warn` : ''}${every(c)}`;
    case 'reboot_pending':
      return `reboot pending for more than ${c.days} days`;
    case 'offline':
      return `offline for ${c.afterMinutes} min or more`;
    case 'inventory_change':
      return `${c.kinds.join(', ').replaceAll('_', ' ')}${c.pattern ? ` matching /${c.pattern}/i` : ''}; clears after ${c.clearAfterMinutes} min quiet`;
    case 'smart':
    case 'firewall':
    case 'antivirus':
      return CHECK_TYPE_LABEL[c.type];
  }
}
