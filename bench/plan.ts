import type { TargetName } from './targets/target';

/*
 * Rough rates measured on the 2-core development machine, used only to print an estimate
 * before a run and to skip steps that would overrun the time budget. Conservative on purpose.
 */
const RATES: Record<TargetName, { startupS: number; enrollPerS: number; connectPerS: number }> = {
  wrangler: { startupS: 30, enrollPerS: 50, connectPerS: 40 },
  miniflare: { startupS: 30, enrollPerS: 60, connectPerS: 50 },
  baseline: { startupS: 3, enrollPerS: 300, connectPerS: 400 },
};
/* Drain, close and settle grace, plus the command sampler's tail. */
const STEP_OVERHEAD_S = 20;

export function startupSeconds(t: TargetName): number {
  return RATES[t].startupS;
}

/** Seconds one step should take, enrolling `newDevices` first. */
export function stepSeconds(t: TargetName, n: number, newDevices: number, durationS: number): number {
  const r = RATES[t];
  return newDevices / r.enrollPerS + n / r.connectPerS + durationS + STEP_OVERHEAD_S;
}

export function runSeconds(targets: TargetName[], sizes: number[], durationS: number): number {
  let total = 0;
  for (const t of targets) {
    total += startupSeconds(t);
    let enrolled = 0;
    for (const n of sizes) {
      total += stepSeconds(t, n, Math.max(0, n - enrolled), durationS);
      enrolled = Math.max(enrolled, n);
    }
  }
  return Math.round(total);
}
