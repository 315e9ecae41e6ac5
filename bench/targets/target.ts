import type { ProcInfo } from '../procs';

export type TargetName = 'wrangler' | 'miniflare' | 'baseline';

/** A platform the simulator runs against, already holding a tenant, token and key. */
export interface Target {
  name: TargetName;
  url: string;
  /** API token (Bearer) of the tenant the devices enroll into. */
  apiToken: string;
  /** One enrollment key with enough uses for every device of the run. */
  enrollKey: string;
  /** The owner's session cookie (`name=value`), for the dashboard feed socket; none on the baseline. */
  sessionCookie?: string;
  /** The frozen Worker bundle being served, when there is one (wrangler, miniflare). */
  bundle?: string;
  /** Every process serving the target (for CPU), the bench's own process excluded. */
  processes(): ProcInfo[];
  /** Which of them are the runtime whose memory is reported (workerd, or the Node server). */
  isRuntime(p: ProcInfo): boolean;
  /** The last lines the target's processes printed. */
  recentOutput(): string;
  close(): Promise<void>;
}

/** Where simulated agents open their socket. */
export const agentSocketUrl = (target: Target) => `${target.url.replace(/^http/, 'ws')}/agent/connect`;

export interface TargetOptions {
  port: number;
  heartbeatSeconds: number;
  /** Devices the run may enroll in all (the key's maxUses). */
  maxDevices: number;
  /** Keep the state folder after the run (for a look at the per-object SQLite files). */
  keepState: boolean;
  /** Miniflare only: open the runtime's inspector on this port (profiling). */
  inspectorPort?: number;
}
