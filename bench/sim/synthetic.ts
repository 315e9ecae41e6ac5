import type { HelloFrame } from '../../protocol/agent-frames';
import type { MetricsSample } from '../../protocol/metrics';

/*
 * Machine facts and samples shaped like a real agent's, without collecting anything: the
 * bench measures the platform, not the collectors. Addresses stay fixed per device because
 * a changed address set is a status change the hub forwards to its tenant.
 */

const GIB = 1024 ** 3;

export function osFacts(): HelloFrame['os'] {
  return { platform: 'linux', distro: 'Debian GNU/Linux', release: '12', kernel: '6.1.0-bench', arch: 'x64' };
}

export function hostnameOf(index: number): string {
  return `sim-${String(index).padStart(5, '0')}`;
}

/** A private address per device (10.x.y.z), also used as its client address at enrollment. */
export function addressOf(index: number): string {
  return `10.${(index >> 16) & 255}.${(index >> 8) & 255}.${index & 255}`;
}

export function sampleFor(index: number, seq: number): MetricsSample {
  const wave = (Math.sin(index + seq / 3) + 1) / 2;
  return {
    ts: Date.now(),
    cpuPercent: Math.round(wave * 800) / 10,
    memTotalBytes: 16 * GIB,
    memUsedBytes: Math.round((4 + wave * 8) * GIB),
    volumes: [
      { mount: '/', fs: 'ext4', sizeBytes: 256 * GIB, usedBytes: Math.round((60 + wave * 20) * GIB) },
      { mount: '/boot/efi', fs: 'vfat', sizeBytes: 0.5 * GIB, usedBytes: 0.01 * GIB },
    ],
    uptimeSeconds: 86_400 + seq * 30,
    users: ['operator'],
    ipAddresses: [addressOf(index)],
  };
}
