// The one-liners the dashboard shows next to a new enrollment key. The agent bundle is
// served from the same origin, so a fresh machine needs only Node.js 22+ and this line.

function quotePosix(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

function quotePwsh(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

export function installCommands(origin: string, key: string) {
  const url = `${origin}/downloads/tether-agent.mjs`;
  const server = quotePosix(origin);
  const k = quotePosix(key);
  const posix = (dir: string) =>
    [
      `sudo mkdir -p ${dir}`,
      `sudo curl -fsSL ${quotePosix(url)} -o ${dir}/tether-agent.mjs`,
      `sudo node ${dir}/tether-agent.mjs enroll --server ${server} --key ${k}`,
      `sudo node ${dir}/tether-agent.mjs install`,
    ].join(' && ');
  const dir = `$env:ProgramFiles\\Tether`;
  const windows = [
    `New-Item -ItemType Directory -Force "${dir}" | Out-Null`,
    `Invoke-WebRequest -UseBasicParsing ${quotePwsh(url)} -OutFile "${dir}\\tether-agent.mjs"`,
    `node "${dir}\\tether-agent.mjs" enroll --server ${quotePwsh(origin)} --key ${quotePwsh(key)}`,
    `node "${dir}\\tether-agent.mjs" install`,
  ].join('; ');
  return {
    linux: posix('/opt/tether'),
    macos: posix('/usr/local/tether'),
    windows,
  };
}

export function publicOrigin(env: Env, requestUrl: string): string {
  return env.PUBLIC_URL ? new URL(env.PUBLIC_URL).origin : new URL(requestUrl).origin;
}
