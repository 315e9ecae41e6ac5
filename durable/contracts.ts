import type { CommandStatus, SignedCommand } from '../protocol/command';
import type { DeployStep } from '../protocol/packages';
import type { MetricsSample } from '../protocol/metrics';
import type { CompiledCheck, Severity } from '../protocol/checks';

/*
 * What the Worker and the hubs say to each other over RPC. Request headers the Worker
 * sets when it hands a WebSocket upgrade to a hub (after authenticating it itself):
 */
export const HUB_HEADERS = {
  deviceId: 'x-tether-device-id',
  tenantId: 'x-tether-tenant-id',
  /** 'agent' (device token checked) or 'viewer' (dashboard session checked, Origin checked). */
  role: 'x-tether-role',
  userId: 'x-tether-user-id',
  /** JSON array of client ids the dashboard user may see, or 'null' for all. */
  clientIds: 'x-tether-client-ids',
  /** The device's client id (for live-feed scoping in the TenantHub). */
  clientId: 'x-tether-client-id',
} as const;

/** A command queued in a DeviceHub, signed by the Worker before it is queued. */
export interface QueuedCommand {
  id: string;
  type: string;
  signed: SignedCommand;
  createdAt: number;
  expiresAt: number;
}

export interface CommandState {
  id: string;
  type: string;
  status: CommandStatus;
  createdAt: number;
  expiresAt: number;
  deliveredAt: number | null;
  finishedAt: number | null;
  exitCode: number | null;
  durationMs: number | null;
  truncated: boolean;
  error: string | null;
  /** stdout and stderr interleaved in arrival order, capped at 1 MiB. */
  output: string;
}

export interface DeviceLiveStatus {
  online: boolean;
  lastSeenAt: number | null;
  connectedAt: number | null;
  agentVersion: string | null;
  hostname: string | null;
  ipAddresses: string[];
  latest: MetricsSample | null;
  heartbeatSeconds: number;
  /** Heartbeats refused for impossible values (never stored). */
  droppedSamples: number;
}

export interface MetricPoint {
  /** Bucket start, ms. */
  ts: number;
  cpuAvg: number;
  cpuMax: number;
  memUsedAvg: number;
  memTotal: number;
  /** Highest used share of any volume, percent. */
  diskMaxPercent: number;
  /** All interfaces together, bytes per second, averaged over the bucket. */
  netRxAvg: number;
  netTxAvg: number;
  swapMaxPercent: number;
}

/** A change the DeviceHub reports to its TenantHub (transitions only, never samples). */
export interface DeviceStatusEvent {
  deviceId: string;
  status: 'online' | 'offline';
  /** When the hub observed it; the TenantHub ignores an event older than the row's. */
  at: number;
  lastSeenAt: number | null;
  hostname?: string;
  agentVersion?: string;
  ipAddresses?: string[];
  os?: { platform: string; distro: string; release: string; kernel: string; arch: string };
}

export interface CommandEvent {
  deviceId: string;
  commandId: string;
  status: CommandStatus;
  exitCode: number | null;
  at: number;
  /** Deployments: the final step the agent reported with its result. */
  step?: DeployStep;
}

/** Deployment progress the DeviceHub passes on (from the agent's `cmd_step` frames). */
export interface CommandStepEvent {
  deviceId: string;
  commandId: string;
  step: DeployStep;
  progress: number | null;
  at: number;
}

/**
 * A device's effective checks as the Worker compiled them (protocol/checks.ts), with the
 * agent-run part already signed for the agent. `version` is a content hash: pushing the
 * same version twice changes nothing.
 */
export interface DeviceChecksPush {
  version: string;
  compiledAt: number;
  checks: CompiledCheck[];
  /** Signed AgentCheckConfig; null when the device has no agent-run checks. */
  agentConfig: SignedCommand | null;
}

/** A check changed state on one device: the only monitoring traffic a TenantHub sees. */
export interface CheckTransition {
  deviceId: string;
  checkKey: string;
  checkName: string;
  checkType: string;
  severity: Severity;
  state: 'breach' | 'clear';
  /** Hub time of the transition, strictly increasing per device. */
  at: number;
  value: number | null;
  message: string;
  escalationPolicyId: string | null;
}

/** The TenantHub's own load since its instance started (GET /api/v1/diagnostics/tenant-hub). */
export interface TenantHubStats {
  since: number;
  seconds: number;
  deviceStatus: number;
  checkTransitions: number;
  /** Transitions carried by those calls (a hub batches what piled up). */
  transitions: number;
  commandEvents: number;
  alertActions: number;
  callsPerSecond: number;
  openAlerts: number;
}

/** DeviceHub.getInventoryStatus(): the snapshot the hub holds, and inventory frames it refused. */
export interface InventoryStatus {
  /** inventoryHash of the held snapshot; null before the first one. */
  hash: string | null;
  /** Hub time the held snapshot was applied. */
  updatedAt: number | null;
  /** Rows D1 reported written for this device's inventory since the hub began (all applies). */
  d1RowsWritten: number;
  rejected: { count: number; lastAt: number | null; lastReason: string | null };
}
