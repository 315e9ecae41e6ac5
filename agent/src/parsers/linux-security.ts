/*
 * Linux security facts from the tools distributions ship. Each parser takes a tool's output
 * and answers null when the output does not say, so "unknown" never reads as "off".
 */

/**
 * `nft list ruleset`: the host filters incoming traffic if a chain hooked at `input` drops by
 * default or holds any rule. Chains at forward/output/nat hooks (Docker adds those) do not
 * protect the host itself.
 */
export function nftFiltersInput(ruleset: string): boolean {
  const lines = ruleset.split('\n').map((l) => l.trim());
  let inChain = false;
  let inputHook = false;
  let policyDrop = false;
  let rules = 0;
  for (const line of lines) {
    if (/^chain\s+\S+\s*\{/.test(line)) {
      inChain = true;
      inputHook = false;
      policyDrop = false;
      rules = 0;
      continue;
    }
    if (!inChain) continue;
    if (line === '}') {
      if (inputHook && (policyDrop || rules > 0)) return true;
      inChain = false;
      continue;
    }
    if (/\btype\s+filter\s+hook\s+input\b/.test(line)) {
      inputHook = true;
      policyDrop = /\bpolicy\s+(drop|reject)\b/.test(line);
    } else if (line && !line.startsWith('#')) {
      rules++;
    }
  }
  return false;
}

/** `ufw status`: "Status: active" or "Status: inactive" (first line, not translated). */
export function ufwActive(text: string): boolean | null {
  const m = /^Status:\s*(active|inactive)\b/m.exec(text);
  return m ? m[1] === 'active' : null;
}

/** `firewall-cmd --state`: "running" or "not running". */
export function firewalldRunning(text: string): boolean | null {
  const s = text.trim();
  return s === 'running' ? true : s === 'not running' ? false : null;
}

interface BlockDevice {
  name?: string;
  type?: string;
  fstype?: string | null;
  mountpoint?: string | null;
  mountpoints?: (string | null)[];
  children?: BlockDevice[];
}

const isCrypt = (d: BlockDevice) => d.type === 'crypt' || d.fstype === 'crypto_LUKS';

/**
 * `lsblk -J -o NAME,TYPE,FSTYPE,MOUNTPOINT`: is the root filesystem on dm-crypt? Walks the
 * device tree (disk → part → crypt → lvm …) down to the device mounted at /.
 */
export function rootEncryption(json: string): { encrypted: boolean | null; detail?: string } {
  let tree: { blockdevices?: BlockDevice[] };
  try {
    tree = JSON.parse(json) as { blockdevices?: BlockDevice[] };
  } catch {
    return { encrypted: null };
  }
  const mounts = (d: BlockDevice) => [d.mountpoint, ...(d.mountpoints ?? [])].filter((m): m is string => !!m);
  let cryptDevices = 0;
  let rootPath: BlockDevice[] | null = null;
  const walk = (d: BlockDevice, path: BlockDevice[]) => {
    const here = [...path, d];
    if (d.type === 'crypt') cryptDevices++;
    if (!rootPath && mounts(d).includes('/')) rootPath = here;
    for (const c of d.children ?? []) walk(c, here);
  };
  for (const d of tree.blockdevices ?? []) walk(d, []);
  if (!rootPath) {
    // Containers and network roots: the root is not a local block device we can see.
    return { encrypted: null, detail: 'the root filesystem is not on a local block device' };
  }
  const path = rootPath as BlockDevice[];
  const crypt = path.find(isCrypt);
  if (crypt) return { encrypted: true, detail: `root filesystem on LUKS (${path.map((d) => d.name).join(' → ')})` };
  const rootDev = path[path.length - 1].name ?? '?';
  return { encrypted: false, detail: `root filesystem on ${rootDev} is not encrypted${cryptDevices ? ` (${cryptDevices} other encrypted device(s))` : ''}` };
}

/**
 * `apt-get -s upgrade`: one `Inst pkg [old] (new origin… [arch])` line per upgrade; the
 * origin names the security suite ("Debian-Security:12/stable-security", "jammy-security").
 */
export function parseAptSimulate(text: string): { pending: number; security: number } {
  let pending = 0;
  let security = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith('Inst ')) continue;
    pending++;
    const origin = /\(([^)]*)\)/.exec(line)?.[1] ?? '';
    if (/security/i.test(origin)) security++;
  }
  return { pending, security };
}

/** Ubuntu's `/usr/lib/update-notifier/apt-check` prints `updates;security` on stderr. */
export function parseAptCheck(text: string): { pending: number; security: number } | null {
  const m = /^(\d+);(\d+)\s*$/m.exec(text.trim());
  return m ? { pending: Number(m[1]), security: Number(m[2]) } : null;
}

/**
 * `dnf -q check-update` (or yum): exit 100 and one `name.arch  version  repo` line per update,
 * 0 when current. Obsoleted packages are listed after a heading and are not extra updates.
 */
export function parseDnfCheckUpdate(text: string, exitCode: number | null): number | null {
  if (exitCode === 0) return 0;
  if (exitCode !== 100) return null;
  let n = 0;
  for (const line of text.split('\n')) {
    if (/^Obsoleting Packages/i.test(line)) break;
    const f = line.trim().split(/\s+/);
    if (f.length === 3 && /\.[A-Za-z0-9_]+$/.test(f[0])) n++;
  }
  return n;
}

/** Endpoint-protection daemons whose running process is the best sign they are active. */
export const LINUX_AV_PROCESSES: { name: string; processes: string[] }[] = [
  { name: 'Microsoft Defender for Endpoint', processes: ['wdavdaemon'] },
  { name: 'CrowdStrike Falcon', processes: ['falcon-sensor'] },
  { name: 'SentinelOne', processes: ['s1-agent', 'sentinelone-agent'] },
  { name: 'Sophos', processes: ['sophos-spl', 'savd', 'soapd'] },
  { name: 'ESET', processes: ['esets_daemon', 'esets'] },
  { name: 'ClamAV', processes: ['clamd'] },
];
