import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sha256File } from '../../agent/src/deploy/download';
import type { Options } from '../options';
import { beginRun, finishRun, onTarget } from '../scenario-run';
import { createPackage, createVersion, uploadFile, writeRandomFile } from '../deploy/catalog';
import { Api } from '../sim/api';
import { enrollDevices } from '../sim/enroll';
import { median } from '../stats';
import { startMiniflare } from '../targets/miniflare';
import { startWrangler } from '../targets/wrangler';
import { diskOnce, downloadOnce } from './measure';
import type { DownloadReport, TargetDownloads } from './result';

/*
 * The download scenario (`npm run bench -- --scenario download [--n 3] [--size-mb 100]`): a
 * file of random bytes uploaded through the API in parts, then downloaded N times through
 * the device endpoint by one enrolled device, written to disk and hashed as the agent does;
 * against reading the same file from disk and hashing it, alternated in the same run. Runs on
 * Miniflare unless --target names others. Prints figures; never fails a build.
 */

const DEFAULT_REPEATS = 3;

const mbps = (bytes: number, ms: number) => Math.round((bytes / 1e6 / (ms / 1000)) * 10) / 10;
const round1 = (x: number | null) => (x === null ? null : Math.round(x * 10) / 10);

export async function runDownload(o: Options): Promise<number> {
  const repeats = o.n ?? DEFAULT_REPEATS;
  const bytes = o['size-mb'] * 1024 * 1024;
  const named = process.argv.some((a) => a === '--target' || a.startsWith('--target='));
  const names = named ? [...new Set(o.target.filter((t) => t !== 'baseline'))] : ['miniflare' as const];
  const report: DownloadReport = { ...beginRun('download', o), bytes, repeats, targets: [], elapsedSeconds: 0 };
  console.log(`bench: download scenario; ${names.join(', ')}; ${o['size-mb']} MiB × ${repeats}; load average ${report.machine.loadAverage.join(' ')}`);
  const scratch = mkdtempSync(join(tmpdir(), 'tether-bench-download-'));
  try {
    const source = join(scratch, 'bench-large_1.0.0_all.deb');
    await writeRandomFile(source, bytes);
    const sha256 = await sha256File(source);
    for (const name of names) {
      const entry: TargetDownloads = { target: name, upload: null, downloads: [], disk: [], medianMbPerSecond: null, medianDiskMbPerSecond: null, ratio: null };
      report.targets.push(entry);
      const start = () => (name === 'miniflare' ? startMiniflare : startWrangler)({ port: o.port, heartbeatSeconds: o.heartbeat, maxDevices: 1, keepState: o['keep-state'] });
      await onTarget(start, entry, () => undefined, async (target) => {
        const api = new Api(target.url, target.apiToken);
        const pkg = await createPackage(api, { name: 'bench-large', installer: 'deb', platform: 'linux' });
        const created = await createVersion(api, pkg.id, { version: '1.0.0', fileName: 'bench-large_1.0.0_all.deb', size: bytes });
        const up = await uploadFile(api, pkg.id, created, source, bytes);
        if (up.version.sha256 !== sha256) throw new Error(`the server hashed the upload as ${up.version.sha256}, the file is ${sha256}`);
        entry.upload = { ms: Math.round(up.elapsedMs), mbPerSecond: mbps(bytes, up.elapsedMs), parts: up.parts };
        console.log(`  ${name}: uploaded in ${up.parts} parts, ${entry.upload.ms} ms (${entry.upload.mbPerSecond} MB/s, the server's hash included)`);
        const enroll = await enrollDevices(target.url, target.enrollKey, 0, 1, 1, Date.now() + 60_000);
        const device = enroll.devices[0];
        if (!device) throw new Error(`enrollment failed: ${JSON.stringify(Object.fromEntries(enroll.failures))}`);
        for (let i = 0; i < repeats; i++) {
          const disk = await diskOnce(source, bytes, sha256);
          entry.disk.push(disk);
          const down = await downloadOnce(target.url, up.version.id, device.deviceToken, join(scratch, 'download.part'), bytes, sha256);
          entry.downloads.push(down);
          console.log(`  ${name} #${i + 1}: Worker ${down.mbPerSecond} MB/s (${down.ms} ms, transfer ${down.transferMs} ms, sha256 ${down.sha256Ok ? 'ok' : 'WRONG'}); disk ${disk.mbPerSecond} MB/s (${disk.ms} ms)`);
        }
        entry.medianMbPerSecond = round1(median(entry.downloads.map((d) => d.mbPerSecond)));
        entry.medianDiskMbPerSecond = round1(median(entry.disk.map((d) => d.mbPerSecond)));
        if (entry.medianMbPerSecond !== null && entry.medianDiskMbPerSecond) entry.ratio = Math.round((entry.medianMbPerSecond / entry.medianDiskMbPerSecond) * 100) / 100;
        console.log(`  ${name}: median ${entry.medianMbPerSecond} MB/s through the Worker vs ${entry.medianDiskMbPerSecond} MB/s from disk: ratio ${entry.ratio}`);
      });
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  finishRun(o, report);
  return 0;
}
