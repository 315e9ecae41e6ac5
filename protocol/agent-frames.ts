import * as v from 'valibot';
import { MetricsSample } from './metrics';
import { SignedCommand, CommandStatus } from './command';
import { MAX_OUTPUT_CHUNK_BYTES } from './limits';
import { CheckResult } from './checks';
import { EventEntry, MAX_EVENTS_PER_FRAME, StateFrame } from './device-state';
import { DeployStep } from './packages';
import { PatchScan } from './patches';
import { HardwareInventory, InventoryHash, MAX_INVENTORY_ITEMS_PER_FRAME, MAX_INVENTORY_PARTS, OsInventory, SoftwareItem } from './inventory';

/*
 * Frames on the agent socket, JSON text. Agent → hub frames that carry results have a
 * frame id (`fid`, increasing per agent install); the hub answers `ack` with the ids it has
 * stored, and the agent keeps unacknowledged frames on disk and resends them after a
 * reconnect or restart. The hub treats every resent frame idempotently.
 */

const id = v.pipe(v.string(), v.minLength(1), v.maxLength(64));
const fid = v.pipe(v.number(), v.integer(), v.minValue(1));
const text = (max: number) => v.pipe(v.string(), v.maxLength(max));

export const HelloFrame = v.object({
  t: v.literal('hello'),
  agentVersion: text(32),
  hostname: text(255),
  os: v.object({
    platform: text(32),
    distro: text(128),
    release: text(128),
    kernel: text(128),
    arch: text(32),
  }),
  /** Highest fid the agent has ever assigned: lets the hub spot a reinstalled agent. */
  lastFid: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
});

export const HeartbeatFrame = v.object({
  t: v.literal('hb'),
  seq: v.pipe(v.number(), v.integer(), v.minValue(0)),
  m: MetricsSample,
});

/** The agent received a command (before running it). */
export const CommandAckFrame = v.object({ t: v.literal('cmd_ack'), fid, id });

export const OutputFrame = v.object({
  t: v.literal('out'),
  fid,
  id,
  seq: v.pipe(v.number(), v.integer(), v.minValue(0)),
  stream: v.picklist(['stdout', 'stderr']),
  data: v.pipe(v.string(), v.maxBytes(MAX_OUTPUT_CHUNK_BYTES * 4)),
});

export const DoneFrame = v.object({
  t: v.literal('done'),
  fid,
  id,
  status: CommandStatus,
  exitCode: v.nullable(v.pipe(v.number(), v.integer())),
  durationMs: v.pipe(v.number(), v.minValue(0)),
  truncated: v.boolean(),
  /** Why it did not run or did not finish: signature, expiry, timeout, spawn error… */
  error: v.optional(text(1024)),
  /** Deployments: the final step (succeeded, failed, rolled_back). */
  step: v.optional(DeployStep),
});

/**
 * A deployment's progress on this device (not kept on disk: the done frame is the record).
 * Sent when the step changes, and at most once a second while a download advances.
 */
export const CommandStepFrame = v.object({
  t: v.literal('cmd_step'),
  id,
  step: DeployStep,
  /** 0–100 within the step (downloads), null when not measurable. */
  progress: v.nullable(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(100))),
  detail: v.optional(text(300)),
});
export type CommandStepFrame = v.InferOutput<typeof CommandStepFrame>;

/** A patch scan: the whole list of missing updates (it replaces the last scan's). */
export const PatchesFrame = v.object({
  t: v.literal('patches'),
  fid,
  scan: PatchScan,
});
export type PatchesFrame = v.InferOutput<typeof PatchesFrame>;

/** Event-log entries since the agent's saved cursor; it advances the cursor on ack. */
export const EventsFrame = v.object({
  t: v.literal('events'),
  fid,
  entries: v.pipe(v.array(EventEntry), v.minLength(1), v.maxLength(MAX_EVENTS_PER_FRAME)),
});

/** Results of agent-run checks: sent when a status changes, and all of them after a (re)connect. */
export const CheckResultsFrame = v.object({
  t: v.literal('check_results'),
  fid,
  /** The config version the results belong to; results of an older config are ignored. */
  version: v.pipe(v.string(), v.minLength(1), v.maxLength(64)),
  results: v.pipe(v.array(CheckResult), v.maxLength(1000)),
});

/**
 * One part of an inventory snapshot. `base` null: a full snapshot (its parts together list
 * every item, and the hub replaces what it holds); otherwise a diff against the snapshot the
 * hub last acknowledged in full. The hub stages parts as they come (acking each fid) and
 * applies the snapshot once every part is in and the result hashes to `hash`; a base it does
 * not hold, or a result that hashes differently, is answered with `inv_resync`.
 */
export const InventoryFrame = v.object({
  t: v.literal('inv'),
  fid,
  hash: InventoryHash,
  base: v.nullable(InventoryHash),
  part: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(MAX_INVENTORY_PARTS - 1)),
  parts: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(MAX_INVENTORY_PARTS)),
  /** Agent clock, ms. */
  collectedAt: v.number(),
  /** Part 0 only: present in a full snapshot, and in a diff when they changed. */
  os: v.optional(OsInventory),
  hardware: v.optional(HardwareInventory),
  /** Items added or changed (all items, in a full snapshot). */
  upsert: v.pipe(v.array(SoftwareItem), v.maxLength(MAX_INVENTORY_ITEMS_PER_FRAME)),
  /** Diff only: softwareKey() of items gone. */
  remove: v.pipe(v.array(v.pipe(v.string(), v.minLength(1), v.maxLength(512))), v.maxLength(MAX_INVENTORY_ITEMS_PER_FRAME)),
});
export type InventoryFrame = v.InferOutput<typeof InventoryFrame>;

export const AgentFrame = v.variant('t', [
  HelloFrame,
  HeartbeatFrame,
  CommandAckFrame,
  OutputFrame,
  DoneFrame,
  EventsFrame,
  CheckResultsFrame,
  StateFrame,
  InventoryFrame,
  CommandStepFrame,
  PatchesFrame,
]);
export type AgentFrame = v.InferOutput<typeof AgentFrame>;
export type HelloFrame = v.InferOutput<typeof HelloFrame>;
export type HeartbeatFrame = v.InferOutput<typeof HeartbeatFrame>;
export type OutputFrame = v.InferOutput<typeof OutputFrame>;
export type DoneFrame = v.InferOutput<typeof DoneFrame>;
export type CommandAckFrame = v.InferOutput<typeof CommandAckFrame>;
export type EventsFrame = v.InferOutput<typeof EventsFrame>;
export type CheckResultsFrame = v.InferOutput<typeof CheckResultsFrame>;
/** Frames the agent must keep on disk until acknowledged. */
export type DurableAgentFrame = CommandAckFrame | OutputFrame | DoneFrame | EventsFrame | CheckResultsFrame | InventoryFrame | PatchesFrame;

export const WelcomeFrame = v.object({
  t: v.literal('welcome'),
  deviceId: id,
  heartbeatSeconds: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(3600)),
  serverTime: v.number(),
});
export const ConfigFrame = v.object({
  t: v.literal('config'),
  heartbeatSeconds: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(3600)),
});
export const AckFrame = v.object({
  t: v.literal('ack'),
  fids: v.pipe(v.array(fid), v.maxLength(10_000)),
});
export const HeartbeatAckFrame = v.object({ t: v.literal('hb_ack'), seq: v.number() });
export const CommandFrame = v.object({ t: v.literal('cmd'), cmd: SignedCommand });
/** The device's agent-run checks and collector intervals, signed (an AgentCheckConfig). */
export const ChecksFrame = v.object({ t: v.literal('checks'), config: SignedCommand });

/** The hub does not hold the base the agent diffed against (or the result did not hash right): send a full snapshot. */
export const InventoryResyncFrame = v.object({ t: v.literal('inv_resync'), hash: v.nullable(InventoryHash) });
/** An inventory frame was refused (malformed, too large); its fid is acked so it is not resent. */
export const InventoryRejectFrame = v.object({ t: v.literal('inv_reject'), fid: v.optional(fid), reason: text(256) });

export const ServerFrame = v.variant('t', [
  WelcomeFrame,
  ConfigFrame,
  AckFrame,
  HeartbeatAckFrame,
  CommandFrame,
  ChecksFrame,
  InventoryResyncFrame,
  InventoryRejectFrame,
]);
export type ServerFrame = v.InferOutput<typeof ServerFrame>;

/** Close codes on the agent socket. */
export const CloseCode = {
  normal: 1000,
  policy: 1008,
  tooBig: 1009,
  /** A newer connection for the same device took over. */
  replaced: 4001,
  /** Token revoked or device deleted: the agent must not reconnect with it. */
  unauthorized: 4003,
} as const;
