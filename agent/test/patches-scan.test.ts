import { describe, expect, it } from 'vitest';
import * as v from 'valibot';
import { PatchesFrame } from '../../protocol/agent-frames';
import { PatchScan, SEVERITY_RANK, type PatchItem, type PatchSeverity } from '../../protocol/patches';
import { frameProblem, FRAME_BUDGET_BYTES, frameBytes } from '../src/frame-guard';
import { findExecutable } from '../src/interpreters';
import { join } from 'node:path';
import { Outbox } from '../src/outbox';
import { defaultPatchContext } from '../src/patches/context';
import { patchesFrame } from '../src/patches/frame';
import { scanPatches } from '../src/patches/scan';
import { tempDir } from './helpers/agent-process';

describe('patch scan on this machine', () => {
  it('scans apt for real and produces a valid PatchScan', { timeout: 240_000 }, async () => {
    expect(findExecutable('apt-get')).not.toBeNull();
    const started = Date.now();
    const scan = await scanPatches(defaultPatchContext());
    expect(v.parse(PatchScan, scan)).toEqual(scan);
    expect(scan.sources).toContain('apt');
    expect(scan.errors).toEqual([]);
    expect(scan.scannedAt).toBeGreaterThanOrEqual(started);
    expect(typeof scan.rebootPending).toBe('boolean');
    for (const item of scan.items) {
      expect(item.source).toBe('apt');
      expect(item.key).toBe(`apt:${item.name}@${item.availableVersion}`);
      expect(['security', 'bugfix']).toContain(item.classification);
    }
    expect(frameProblem({ ...patchesFrame(scan), fid: 1 })).toBeNull();
  });

  it('reports a source that fails as an error, not as "nothing missing"', async () => {
    // An apt-get that cannot run (no such directory on PATH) is missing: the source is skipped.
    const ctx = { ...defaultPatchContext('linux', { PATH: '/nonexistent' }), rebootFlags: [] };
    const scan = await scanPatches(ctx);
    expect(scan).toMatchObject({ sources: [], items: [], errors: ['no update source found on this linux machine'] });
  });
});

describe('patches frame', () => {
  const severities: PatchSeverity[] = ['critical', 'important', 'moderate', 'low', 'unknown'];
  const item = (n: number): PatchItem => ({
    key: `wua:KB${1000000 + n}`,
    source: 'wua',
    name: `Update ${n}`,
    title: `Update ${n} ${'x'.repeat(200)}`,
    installedVersion: null,
    availableVersion: null,
    classification: n % 7 === 0 ? 'security' : 'bugfix',
    severity: severities[n % severities.length],
    cves: [],
    advisory: `KB${1000000 + n}`,
    rebootRequired: false,
    sizeBytes: 1000,
    releasedAt: null,
  });

  it('sends a scan that fits unchanged', () => {
    const scan: PatchScan = { scannedAt: 1, sources: ['wua'], items: [item(1), item(2)], errors: [], rebootPending: false };
    expect(patchesFrame(scan)).toEqual({ t: 'patches', scan });
  });

  it('drops the least severe updates first when the list does not fit, and says how many', () => {
    const items = Array.from({ length: 2000 }, (_, n) => item(n));
    const scan: PatchScan = { scannedAt: 1, sources: ['wua'], items, errors: ['x: one'], rebootPending: true };
    expect(frameBytes({ t: 'patches', fid: 1, scan })).toBeGreaterThan(FRAME_BUDGET_BYTES);
    const frame = patchesFrame(scan);
    const kept = frame.scan.items;
    expect(kept.length).toBeGreaterThan(100);
    expect(kept.length).toBeLessThan(2000);
    expect(frameProblem({ ...frame, fid: 123456 })).toBeNull();
    v.parse(PatchesFrame, { ...frame, fid: 1 });
    const keptKeys = new Set(kept.map((i) => i.key));
    const lowestKept = Math.min(...kept.map((i) => SEVERITY_RANK[i.severity]));
    const highestDropped = Math.max(...items.filter((i) => !keptKeys.has(i.key)).map((i) => SEVERITY_RANK[i.severity]));
    expect(lowestKept).toBeGreaterThanOrEqual(highestDropped);
    expect(kept.filter((i) => i.severity === 'critical')).toHaveLength(400);
    expect(kept.filter((i) => i.severity !== 'critical').every((i) => i.severity === 'important')).toBe(true);
    // Among equal severities, security updates are kept before others.
    const importantSecurity = items.filter((i) => i.severity === 'important' && i.classification === 'security');
    expect(importantSecurity.every((i) => keptKeys.has(i.key))).toBe(true);
    expect(items.some((i) => i.severity === 'important' && !keptKeys.has(i.key))).toBe(true);
    expect(frame.scan.errors).toEqual(['x: one', `${2000 - kept.length} more updates not listed (frame limit)`]);
    expect(frame.scan.rebootPending).toBe(true);
  });
});

describe('patches frame durability', () => {
  it('is kept in the outbox across a restart until acknowledged', () => {
    const d = tempDir();
    try {
      const path = join(d.path, 'outbox.jsonl');
      const scan: PatchScan = { scannedAt: 5, sources: ['apt'], items: [], errors: [], rebootPending: false };
      const first = Outbox.open(path);
      const sent = first.add(patchesFrame(scan));
      first.close();
      const again = Outbox.open(path);
      expect(again.pending()).toEqual([{ t: 'patches', fid: sent.fid, scan }]);
      again.ack([sent.fid]);
      expect(again.pending()).toEqual([]);
      again.close();
    } finally {
      d.remove();
    }
  });
});
