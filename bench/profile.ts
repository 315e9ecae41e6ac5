import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as v from 'valibot';
import { ROOT } from '../scripts/lib/platform';
import { stopAll } from '../scripts/lib/processes';
import { CpuProfile, hotspots, moduleIndex } from './profile/cpu-profile';
import { Inspector } from './profile/inspector';
import { enrollDevices } from './sim/enroll';
import { runStep } from './step';
import { startMiniflare } from './targets/miniflare';
import { sleep } from './sim/pool';
import { traceSyscalls } from './profile/syscalls';

/*
 * Where the runtime's CPU goes: one fleet step against the Miniflare target with workerd's
 * inspector open, a V8 CPU profile per phase (connect, steady), and the self time charged
 * to functions and to source modules of the bundle. Run with `npx tsx bench/profile.ts`.
 */

const { values } = parseArgs({
  options: {
    n: { type: 'string' },
    heartbeat: { type: 'string' },
    duration: { type: 'string' },
    port: { type: 'string' },
    top: { type: 'string' },
    /** Also count the runtime's system calls for 10 s of the steady phase (needs strace). */
    syscalls: { type: 'boolean' },
  },
});
const n = Number(values.n ?? 300);
const heartbeatSeconds = Number(values.heartbeat ?? 30);
const duration = Number(values.duration ?? 20);
const port = Number(values.port ?? 8880);
const top = Number(values.top ?? 15);
const outDir = join(ROOT, '.bench-state', 'profiles');
mkdirSync(outDir, { recursive: true });

const target = await startMiniflare({ port, heartbeatSeconds, maxDevices: n, keepState: false, inspectorPort: port + 1 });
try {
  const enrolled = await enrollDevices(target.url, target.enrollKey, 0, n, 16, Date.now() + 600_000);
  const { inspector, targets } = await Inspector.attach(port + 1, 'tether');
  console.log(`profile: inspector targets: ${targets.join(' | ')}`);
  await inspector.send('Profiler.enable');
  await inspector.send('Profiler.setSamplingInterval', { interval: 200 });
  let current: string | null = null;
  let syscalls: Promise<void> | undefined;
  // A window in the middle of the steady phase, on the workerd process only.
  const traceSteady = async () => {
    await sleep(Math.min(10, duration / 4) * 1000);
    const workerd = target.processes().find((p) => p.comm === 'workerd');
    if (!workerd) return;
    const window = Math.min(10, duration / 2);
    const rows = await traceSyscalls(workerd.pid, window, join(outDir, 'strace.txt'));
    const beats = (n / heartbeatSeconds) * window;
    console.log(`\nsyscalls of workerd over ${window} s of steady state (~${Math.round(beats)} heartbeats):`);
    for (const r of rows.slice(0, top)) {
      console.log(`  ${r.syscall.padEnd(14)} ${String(r.calls).padStart(7)} calls  ${(r.calls / beats).toFixed(2).padStart(6)} per hb  ${r.seconds.toFixed(3)} s blocked`);
    }
  };
  const finish = async () => {
    if (!current) return;
    const { profile } = await inspector.send<{ profile: unknown }>('Profiler.stop');
    const parsed = v.parse(CpuProfile, profile);
    writeFileSync(join(outDir, `${current}.cpuprofile`), JSON.stringify(profile));
    report(current, parsed, target.bundle!);
    current = null;
  };
  const result = await runStep(target, enrolled.devices, {
    durationSeconds: duration,
    commands: 20,
    connectConcurrency: 64,
    connectTimeoutMs: 30_000,
    connectPhaseMs: 600_000,
    async onPhase(phase) {
      await finish();
      if (phase === 'drain') return;
      current = phase;
      await inspector.send('Profiler.start');
      if (phase === 'steady' && values.syscalls) syscalls = traceSteady();
    },
  });
  await finish();
  await syscalls;
  inspector.close();
  console.log(`profile: N=${n}, connect ${result.connect.perSecond}/s, hb p50 ${result.heartbeats.rtt.p50} ms, phases ${JSON.stringify(result.runtime.phases)}`);
  console.log(`profile: .cpuprofile files in ${outDir} (open in Chrome DevTools → Performance)`);
} finally {
  await target.close();
  await stopAll();
}

function report(phase: string, profile: CpuProfile, bundlePath: string): void {
  const bundle = readFileSync(bundlePath, 'utf8');
  const h = hotspots(profile, (url) => url.endsWith('index.js'), moduleIndex(bundle));
  console.log(`\nprofile ${phase}: ${h.wallMs} ms of wall time sampled in the Worker's isolate`);
  console.log('  by module (self time):');
  for (const m of h.modules.slice(0, top)) console.log(`    ${String(m.ms).padStart(7)} ms  ${String(m.share).padStart(5)} %  ${m.name}`);
  console.log('  by function (self time):');
  for (const f of h.functions.slice(0, top)) console.log(`    ${String(f.ms).padStart(7)} ms  ${String(f.share).padStart(5)} %  ${f.name}`);
}
