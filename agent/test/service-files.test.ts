import { describe, expect, it } from 'vitest';
import { launchdPlist, systemdQuote, systemdUnit, windowsQuote, windowsService, type ServiceSpec } from '../src/service-files';

const linux: ServiceSpec = {
  node: '/opt/node 22/bin/node',
  bundle: '/opt/tether/tether-agent.mjs',
  stateDir: '/var/lib/tether',
  unauthorizedExitCode: 78,
};

describe('systemd unit', () => {
  const unit = systemdUnit(linux);
  const lines = unit.split('\n');

  it('runs the bundle with absolute paths and restarts it', () => {
    expect(lines).toContain('ExecStart="/opt/node 22/bin/node" "/opt/tether/tether-agent.mjs" "run" "--state" "/var/lib/tether"');
    expect(lines).toContain('Restart=always');
    expect(lines).toContain('RestartSec=5');
    expect(lines).toContain('WantedBy=multi-user.target');
    // A revoked device exits 78: restarting it every 5 s would only hammer the server.
    expect(lines).toContain('RestartPreventExitStatus=78');
    expect(lines.indexOf('[Service]')).toBeGreaterThan(lines.indexOf('[Unit]'));
    expect(lines.indexOf('[Install]')).toBeGreaterThan(lines.indexOf('[Service]'));
  });

  it('escapes quotes, backslashes and specifiers in paths', () => {
    expect(systemdQuote('/a "b"\\c%h$HOME')).toBe('"/a \\"b\\"\\\\c%%h$$HOME"');
    expect(() => systemdQuote('/a\nExecStartPre=/bin/evil')).toThrow();
  });
});

describe('launchd plist', () => {
  it('lists each argument as its own escaped string', () => {
    const plist = launchdPlist({ ...linux, stateDir: '/Library/Application Support/Tether & <Co>' });
    expect(plist).toContain('<string>com.tether.agent</string>');
    expect(plist).toMatch(
      /<key>ProgramArguments<\/key>\s*<array>\s*<string>\/opt\/node 22\/bin\/node<\/string>\s*<string>\/opt\/tether\/tether-agent.mjs<\/string>\s*<string>run<\/string>\s*<string>--state<\/string>\s*<string>\/Library\/Application Support\/Tether &amp; &lt;Co&gt;<\/string>\s*<\/array>/,
    );
    expect(plist).toMatch(/<key>KeepAlive<\/key>\s*<true\/>/);
    expect(plist).toMatch(/<key>RunAtLoad<\/key>\s*<true\/>/);
    expect(plist).not.toContain('& <Co>');
  });
});

describe('Windows service', () => {
  const win = windowsService(
    { node: 'C:\\Program Files\\nodejs\\node.exe', bundle: 'C:\\Program Files\\Tether\\tether-agent.mjs', stateDir: 'C:\\ProgramData\\Tether\\', unauthorizedExitCode: 78 },
    'C:\\ProgramData\\Tether\\tether-agent-service.exe',
  );

  it('registers the wrapper with sc.exe, auto start and restart on failure', () => {
    expect(win.commands[0]).toEqual({
      command: 'sc.exe',
      args: ['create', 'TetherAgent', 'binPath=', 'C:\\ProgramData\\Tether\\tether-agent-service.exe', 'start=', 'auto', 'DisplayName=', 'Tether RMM agent'],
    });
    expect(win.commands[1].args.slice(0, 2)).toEqual(['failure', 'TetherAgent']);
    expect(win.commands[1].args).toContain('restart/5000/restart/5000/restart/60000');
    expect(win.commands[2].args).toEqual(['start', 'TetherAgent']);
  });

  it('has the wrapper start node with the bundle, quoted for CommandLineToArgvW', () => {
    expect(win.wrapperXml).toContain('<executable>C:\\Program Files\\nodejs\\node.exe</executable>');
    expect(win.wrapperXml).toContain(
      '<arguments>&quot;C:\\Program Files\\Tether\\tether-agent.mjs&quot; run --state C:\\ProgramData\\Tether\\</arguments>',
    );
    expect(win.wrapperXml).toContain('<id>TetherAgent</id>');
  });

  it('quotes arguments the way Windows splits them back', () => {
    expect(windowsQuote('plain')).toBe('plain');
    expect(windowsQuote('two words')).toBe('"two words"');
    expect(windowsQuote('C:\\dir with space\\')).toBe('"C:\\dir with space\\\\"');
    expect(windowsQuote('say "hi"')).toBe('"say \\"hi\\""');
    expect(windowsQuote('')).toBe('""');
  });
});
