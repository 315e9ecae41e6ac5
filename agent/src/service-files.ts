/*
 * What each platform's service manager needs to run `run --state DIR` at boot and restart it
 * when it dies. Pure functions of absolute paths, so every file is checked in tests on any OS.
 */

export interface ServiceSpec {
  /** Absolute path of the Node.js binary. */
  node: string;
  /** Absolute path of the agent bundle. */
  bundle: string;
  stateDir: string;
  /** Exit code of `run` when the device was revoked: restarting it cannot help. */
  unauthorizedExitCode: number;
}

export const SYSTEMD_UNIT_PATH = '/etc/systemd/system/tether-agent.service';
export const SYSTEMD_UNIT_NAME = 'tether-agent';
export const LAUNCHD_LABEL = 'com.tether.agent';
export const LAUNCHD_PLIST_PATH = '/Library/LaunchDaemons/com.tether.agent.plist';
export const WINDOWS_SERVICE_NAME = 'TetherAgent';

/** One ExecStart word: quoted, with systemd's escapes and its `%` specifiers neutralised. */
export function systemdQuote(word: string): string {
  if (/[\0\n\r]/.test(word)) throw new Error('path contains a control character');
  const escaped = word.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/%/g, '%%').replace(/\$/g, '$$$$');
  return `"${escaped}"`;
}

export function systemdUnit(spec: ServiceSpec): string {
  const exec = [spec.node, spec.bundle, 'run', '--state', spec.stateDir].map(systemdQuote).join(' ');
  return [
    '[Unit]',
    'Description=Tether RMM agent',
    'Wants=network-online.target',
    'After=network-online.target',
    '',
    '[Service]',
    'Type=simple',
    `ExecStart=${exec}`,
    'Restart=always',
    'RestartSec=5',
    `RestartPreventExitStatus=${spec.unauthorizedExitCode}`,
    'KillMode=mixed',
    'TimeoutStopSec=15',
    '',
    '[Install]',
    'WantedBy=multi-user.target',
    '',
  ].join('\n');
}

export function xmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

export function launchdPlist(spec: ServiceSpec, logFile = '/Library/Logs/Tether/agent.log'): string {
  const args = [spec.node, spec.bundle, 'run', '--state', spec.stateDir]
    .map((a) => `    <string>${xmlEscape(a)}</string>`)
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
  <key>Label</key>
  <string>${LAUNCHD_LABEL}</string>
  <key>ProgramArguments</key>
  <array>
${args}
  </array>
  <key>RunAtLoad</key>
  <true/>
  <key>KeepAlive</key>
  <true/>
  <key>ThrottleInterval</key>
  <integer>5</integer>
  <key>StandardErrorPath</key>
  <string>${xmlEscape(logFile)}</string>
  <key>StandardOutPath</key>
  <string>${xmlEscape(logFile)}</string>
</dict>
</plist>
`;
}

/** A Windows command-line argument, quoted the way CommandLineToArgvW reads it back. */
export function windowsQuote(arg: string): string {
  if (arg !== '' && !/[\s"]/.test(arg)) return arg;
  return `"${arg.replace(/(\\*)"/g, '$1$1\\"').replace(/(\\+)$/, '$1$1')}"`;
}

/**
 * Windows services must answer the service control manager, which node.exe does not, so the
 * service binary is a service wrapper (WinSW) placed next to its XML file; the wrapper starts
 * node with the bundle, restarts it when it exits, and stops it when the service stops.
 */
export function windowsService(spec: ServiceSpec, wrapperExe: string) {
  const args = [spec.bundle, 'run', '--state', spec.stateDir].map(windowsQuote).join(' ');
  const wrapperXml = `<service>
  <id>${WINDOWS_SERVICE_NAME}</id>
  <name>Tether RMM agent</name>
  <description>Keeps this machine connected to its Tether RMM server.</description>
  <executable>${xmlEscape(spec.node)}</executable>
  <arguments>${xmlEscape(args)}</arguments>
  <startmode>Automatic</startmode>
  <onfailure action="restart" delay="5 sec"/>
  <log mode="roll-by-size"/>
</service>
`;
  // sc.exe wants each `option=` and its value as separate arguments.
  const create = ['create', WINDOWS_SERVICE_NAME, 'binPath=', windowsQuote(wrapperExe), 'start=', 'auto', 'DisplayName=', 'Tether RMM agent'];
  const failure = ['failure', WINDOWS_SERVICE_NAME, 'reset=', '86400', 'actions=', 'restart/5000/restart/5000/restart/60000'];
  const start = ['start', WINDOWS_SERVICE_NAME];
  return { wrapperXml, commands: [create, failure, start].map((args) => ({ command: 'sc.exe', args })) };
}
