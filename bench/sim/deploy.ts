import { createHash } from 'node:crypto';
import * as v from 'valibot';
import type { AgentFrame } from '../../protocol/agent-frames';
import type { CommandPayload } from '../../protocol/command';
import { PackageManifest, type DeployFailure, type DeployStep, type InstallResult } from '../../protocol/packages';
import { patchKey, type PatchScan } from '../../protocol/patches';

/*
 * How a simulated agent answers the deployment and patch commands: the real agent's frames
 * in the real agent's order, with nothing installed. A file installer's bytes really are
 * fetched from the device-authenticated endpoint and hashed against the signed manifest
 * (that path is part of what a deployment costs the platform); the signature is not checked
 * (the simulator holds no pinned key).
 */

export type DeployPayload = Extract<CommandPayload, { type: 'install_package' | 'uninstall_package' | 'scan_patches' }>;

export const isDeployPayload = (p: CommandPayload): p is DeployPayload =>
  p.type === 'install_package' || p.type === 'uninstall_package' || p.type === 'scan_patches';

/** What the answering needs from its agent. */
export interface Replies {
  send(frame: AgentFrame): void;
  nextFid(): number;
  /** A done frame's fid, so its acknowledgement counts as the result stored. */
  sentDone(fid: number, commandId: string): void;
  /** The platform's base URL (http) and the device's token, for downloads. */
  server: string;
  deviceToken: string;
}

class SimDeployError extends Error {
  constructor(
    readonly failure: DeployFailure,
    message: string,
  ) {
    super(message);
  }
}

/** The download as the agent makes it (Bearer device token, no compression), hashed as it streams. */
async function fetchAndHash(r: Replies, m: PackageManifest, onHalf: () => void): Promise<{ sha256: string; size: number }> {
  const res = await fetch(`${r.server}/agent/packages/${encodeURIComponent(m.versionId)}`, {
    headers: { authorization: `Bearer ${r.deviceToken}`, 'accept-encoding': 'identity' },
  });
  if (res.status !== 200 || !res.body) {
    await res.body?.cancel().catch(() => undefined);
    throw new SimDeployError('download_failed', `HTTP ${res.status} from the server`);
  }
  const hash = createHash('sha256');
  let size = 0;
  let halfSent = false;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    hash.update(chunk);
    size += chunk.length;
    if (!halfSent && m.size && size * 2 >= m.size) {
      halfSent = true;
      onHalf();
    }
  }
  return { sha256: hash.digest('hex'), size };
}

function stepper(r: Replies, id: string, steps: InstallResult['steps']) {
  return (step: DeployStep, progress: number | null = null) => {
    steps.push({ step, at: Date.now() });
    r.send({ t: 'cmd_step', id, step, progress });
  };
}

function finish(r: Replies, id: string, started: number, result: InstallResult, error?: string): void {
  r.send({ t: 'out', fid: r.nextFid(), id, seq: 0, stream: 'stdout', data: `${JSON.stringify(result)}\n` });
  const fid = r.nextFid();
  r.sentDone(fid, id);
  const ok = result.outcome === 'succeeded';
  r.send({
    t: 'done',
    fid,
    id,
    status: ok ? 'succeeded' : 'failed',
    exitCode: ok ? 0 : 1,
    durationMs: Date.now() - started,
    truncated: false,
    step: result.outcome,
    ...(error ? { error } : {}),
  });
}

async function installOrRemove(r: Replies, payload: Extract<DeployPayload, { type: 'install_package' | 'uninstall_package' }>): Promise<void> {
  const started = Date.now();
  const id = payload.id;
  const steps: InstallResult['steps'] = [];
  const step = stepper(r, id, steps);
  let m: PackageManifest;
  try {
    m = v.parse(PackageManifest, JSON.parse(payload.params.manifest.text));
  } catch {
    const result: InstallResult = { name: '?', version: '?', outcome: 'failed', failure: 'signature_failed', before: null, after: null, steps, installerExit: null, rebootRequired: false };
    return finish(r, id, started, result, 'signature_failed: the manifest does not parse');
  }
  const result: InstallResult = { name: m.name, version: m.version, outcome: 'succeeded', failure: null, before: null, after: m.version, steps, installerExit: 0, rebootRequired: false };
  try {
    if (payload.type === 'install_package' && m.sha256 !== null) {
      step('downloading', 0);
      const got = await fetchAndHash(r, m, () => step('downloading', 50));
      step('downloading', 100);
      step('verifying');
      if (got.sha256 !== m.sha256 || got.size !== m.size) throw new SimDeployError('integrity_failed', `sha256 mismatch: expected ${m.sha256}, got ${got.sha256}`);
    }
    step('installing');
    step('checking');
    if (payload.type === 'uninstall_package') {
      result.before = m.version;
      result.after = null;
    }
    step('succeeded');
    finish(r, id, started, result);
  } catch (err) {
    const failure = err instanceof SimDeployError ? err.failure : 'download_failed';
    const message = err instanceof Error ? err.message : String(err);
    step('failed');
    finish(r, id, started, { ...result, outcome: 'failed', failure, after: null, installerExit: null }, `${failure}: ${message}`);
  }
}

/** A small scan: two updates, one of them a security fix. */
export function syntheticScan(): PatchScan {
  const item = (name: string, from: string, to: string, security: boolean) => ({
    key: patchKey('apt', name, to),
    source: 'apt' as const,
    name,
    title: `${name} ${to}`,
    installedVersion: from,
    availableVersion: to,
    classification: security ? ('security' as const) : ('bugfix' as const),
    severity: security ? ('important' as const) : ('unknown' as const),
    cves: security ? ['CVE-2026-0001'] : [],
    advisory: security ? 'DSA-9999-1' : null,
    rebootRequired: false,
    sizeBytes: 100_000,
    releasedAt: null,
  });
  return {
    scannedAt: Date.now(),
    sources: ['apt'],
    items: [item('openssl', '3.0.15-1~deb12u1', '3.0.16-1~deb12u1', true), item('tzdata', '2026a-0+deb12u1', '2026b-0+deb12u1', false)],
    errors: [],
    rebootPending: false,
  };
}

function scanPatches(r: Replies, id: string): void {
  const started = Date.now();
  const scan = syntheticScan();
  r.send({ t: 'patches', fid: r.nextFid(), scan });
  r.send({ t: 'out', fid: r.nextFid(), id, seq: 0, stream: 'stdout', data: `${JSON.stringify(scan)}\n` });
  const fid = r.nextFid();
  r.sentDone(fid, id);
  r.send({ t: 'done', fid, id, status: 'succeeded', exitCode: 0, durationMs: Date.now() - started, truncated: false });
}

/** Answers one deployment or patch-scan command (cmd_ack already sent). */
export async function answerDeploy(r: Replies, payload: DeployPayload): Promise<void> {
  if (payload.type === 'scan_patches') return scanPatches(r, payload.id);
  return installOrRemove(r, payload);
}
