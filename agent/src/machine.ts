import si from 'systeminformation';
import { hostname } from 'node:os';
import type { HelloFrame } from '../../protocol/agent-frames';

export type MachineFacts = Pick<HelloFrame, 'hostname' | 'os'>;

const clip = (s: unknown, max: number) => (typeof s === 'string' ? s : '').slice(0, max);

/** Who this machine is: sent at enrollment and in every `hello`. */
export async function machineFacts(): Promise<MachineFacts> {
  const os = await si.osInfo().catch(() => null);
  return {
    hostname: clip(hostname(), 255),
    os: {
      platform: clip(os?.platform || process.platform, 32),
      distro: clip(os?.distro, 128),
      release: clip(os?.release, 128),
      kernel: clip(os?.kernel, 128),
      arch: clip(os?.arch || process.arch, 32),
    },
  };
}
