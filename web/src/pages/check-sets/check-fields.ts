import { Interpreter } from '../../../../protocol/command';
import { METRICS, type CheckOf, type CheckType, type MetricName } from '../../../../protocol/checks';

/*
 * The form of each check type, as data: one list of fields per type, named after the
 * protocol's own fields (the compiler refuses a name the schema does not have), so the
 * editor renders any of the fourteen forms and the schema stays the only definition.
 */

export type FieldKind = 'text' | 'number' | 'select' | 'bool' | 'textarea' | 'numbers' | 'words';
export type Draft = Record<string, string | boolean>;

export interface FieldSpec {
  name: string;
  label: string;
  kind: FieldKind;
  /** Empty counts as "not set" unless required (then the schema says what is missing). */
  required?: boolean;
  options?: readonly { value: string; label: string }[];
  placeholder?: string;
  help?: string;
  /** A unit shown after the input, which may depend on other fields (the metric's). */
  unit?: (d: Draft) => string;
  wide?: boolean;
}

type Common = 'type' | 'key' | 'name' | 'severity' | 'enabled';
type Spec<T extends CheckType> = FieldSpec & { name: Exclude<keyof CheckOf<T>, Common> & string };

const opts = (values: readonly string[]) => values.map((v) => ({ value: v, label: v }));
const metricUnit = (d: Draft) => METRICS[(d.metric as MetricName) ?? 'cpu']?.unit ?? '';

const agentRun = [
  { name: 'intervalSeconds', label: 'Every (seconds)', kind: 'number', placeholder: '60' },
  { name: 'failAfter', label: 'Failures in a row before it counts', kind: 'number', placeholder: '1' },
] as const;
const timeout = { name: 'timeoutMs', label: 'Timeout (ms)', kind: 'number', placeholder: '5000' } as const;

export const TYPE_FIELDS: { [T in CheckType]: Spec<T>[] } = {
  metric: [
    {
      name: 'metric',
      label: 'Metric',
      kind: 'select',
      required: true,
      options: (Object.keys(METRICS) as MetricName[]).map((m) => ({ value: m, label: `${METRICS[m].label}${METRICS[m].unit ? ` (${METRICS[m].unit})` : ''}` })),
    },
    { name: 'op', label: 'Alert when', kind: 'select', options: [{ value: 'above', label: 'above' }, { value: 'below', label: 'below' }] },
    { name: 'threshold', label: 'Threshold', kind: 'number', required: true, unit: metricUnit },
    { name: 'clear', label: 'Clears at (optional)', kind: 'number', unit: metricUnit, help: 'Hysteresis: defaults to the threshold' },
    { name: 'forSeconds', label: 'For at least (seconds)', kind: 'number', placeholder: '0' },
  ],
  disk_free: [
    { name: 'mount', label: 'Mount point (optional)', kind: 'text', placeholder: 'every volume', help: 'e.g. / or C:\\' },
    { name: 'minFreePercent', label: 'Minimum free (%)', kind: 'number' },
    { name: 'minFreeBytes', label: 'Minimum free (bytes)', kind: 'number', help: 'Set a percentage, a size, or both' },
  ],
  service: [
    { name: 'service', label: 'Service name', kind: 'text', required: true, placeholder: 'nginx, Spooler…' },
    { name: 'restart', label: 'Restart it once when found stopped', kind: 'bool' },
    ...agentRun,
  ],
  process: [
    { name: 'process', label: 'Process name', kind: 'text', required: true },
    { name: 'expect', label: 'Expect it', kind: 'select', options: opts(['running', 'absent']) },
    ...agentRun,
  ],
  ping: [{ name: 'host', label: 'Host', kind: 'text', required: true, placeholder: '10.0.0.1 or gateway.local' }, timeout, ...agentRun],
  tcp: [
    { name: 'host', label: 'Host', kind: 'text', required: true },
    { name: 'port', label: 'Port', kind: 'number', required: true },
    timeout,
    ...agentRun,
  ],
  http: [
    { name: 'url', label: 'URL', kind: 'text', required: true, placeholder: 'https://intranet.example/health', wide: true },
    { name: 'expectStatus', label: 'Expected status (optional)', kind: 'number', placeholder: 'any 2xx/3xx' },
    { name: 'contains', label: 'Body contains (optional)', kind: 'text' },
    timeout,
    ...agentRun,
  ],
  event_log: [
    { name: 'level', label: 'Level', kind: 'select', options: [{ value: 'error', label: 'error or worse' }, { value: 'critical', label: 'critical' }] },
    { name: 'source', label: 'Source (optional)', kind: 'text', placeholder: 'any source' },
    { name: 'eventId', label: 'Event id (optional)', kind: 'number' },
    { name: 'pattern', label: 'Message matches (regular expression, optional)', kind: 'text', wide: true },
    { name: 'clearAfterMinutes', label: 'Clears after quiet (minutes)', kind: 'number', placeholder: '60' },
  ],
  script: [
    { name: 'interpreter', label: 'Interpreter', kind: 'select', required: true, options: opts(Interpreter.options) },
    { name: 'script', label: 'Script', kind: 'textarea', required: true, wide: true, help: 'Exit 0 passes; the warning codes warn; anything else fails' },
    { name: 'warningExitCodes', label: 'Warning exit codes', kind: 'numbers', placeholder: '1' },
    { name: 'timeoutSeconds', label: 'Timeout (seconds)', kind: 'number', placeholder: '60' },
    ...agentRun,
  ],
  smart: [],
  reboot_pending: [{ name: 'days', label: 'Pending for more than (days)', kind: 'number', placeholder: '7' }],
  firewall: [],
  antivirus: [],
  offline: [{ name: 'afterMinutes', label: 'Offline for (minutes)', kind: 'number', placeholder: '0' }],
  inventory_change: [
    {
      name: 'kinds',
      label: 'Changes',
      kind: 'words',
      required: true,
      help: 'any of software_added, software_removed, software_updated, hardware_changed, os_changed',
      wide: true,
    },
    { name: 'pattern', label: 'Name matches (regular expression, optional)', kind: 'text', wide: true },
    { name: 'clearAfterMinutes', label: 'Clears after quiet (minutes)', kind: 'number', placeholder: '1440' },
  ],
};

/** Fields a new check of each type starts with (the rest take the schema's defaults). */
export const TYPE_DEFAULTS: Partial<Record<CheckType, Draft>> = {
  metric: { metric: 'cpu', op: 'above', threshold: '90', forSeconds: '300' },
  disk_free: { minFreePercent: '10' },
  script: { interpreter: 'bash', warningExitCodes: '1' },
  event_log: { level: 'error' },
  inventory_change: { kinds: 'software_added' },
  process: { expect: 'running' },
};
