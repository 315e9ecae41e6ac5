import { createSignal, getOwner, onCleanup, type Accessor } from 'solid-js';
import { DeviceViewFrame } from '../../../../protocol/live';
import type { MetricsSample } from '../../../../protocol/metrics';
import { openLiveSocket } from '../../api/live-socket';

export type CmdFrame = Extract<DeviceViewFrame, { t: 'cmd' }>;
export type StateSectionName = Extract<DeviceViewFrame, { t: 'state' }>['section'];
export type CheckFrame = Extract<DeviceViewFrame, { t: 'check' }>;

export interface CommandStream {
  output: Accessor<string>;
  /** The latest status frame (running, then a final one). */
  state: Accessor<CmdFrame | null>;
}

/** Streams kept per device view; older ones are dropped so a long session stays small. */
const MAX_STREAMS = 20;
const FLUSH_MS = 100;

export interface DeviceLive {
  connected: Accessor<boolean>;
  online: Accessor<boolean | null>;
  lastSeenAt: Accessor<number | null>;
  latest: Accessor<MetricsSample | null>;
  onSample(listener: (s: MetricsSample) => void): void;
  /** A collector section was refreshed on the hub; unsubscribes with the calling scope. */
  onState(listener: (section: StateSectionName, at: number) => void): void;
  /** A check changed state; unsubscribes with the calling scope. */
  onCheck(listener: (frame: CheckFrame) => void): void;
  /** Output of one command; frames that arrived before anyone asked are kept. */
  stream(commandId: string): CommandStream;
}

interface StreamState extends CommandStream {
  pending: string[];
  setOutput: (s: string) => void;
  setState: (f: CmdFrame) => void;
}

/** The device view socket: status, live samples and command output. Closes with its scope. */
export function openDeviceLive(deviceId: string): DeviceLive {
  const [online, setOnline] = createSignal<boolean | null>(null);
  const [lastSeenAt, setLastSeenAt] = createSignal<number | null>(null);
  const [latest, setLatest] = createSignal<MetricsSample | null>(null);
  const sampleListeners = new Set<(s: MetricsSample) => void>();
  const stateListeners = new Set<(section: StateSectionName, at: number) => void>();
  const checkListeners = new Set<(frame: CheckFrame) => void>();
  // Tabs come and go while the socket stays: their listeners leave with them.
  const listen = <L>(set: Set<L>, l: L) => {
    set.add(l);
    if (getOwner()) onCleanup(() => set.delete(l));
  };
  const streams = new Map<string, StreamState>();
  let flushTimer: ReturnType<typeof setTimeout> | undefined;

  const stream = (commandId: string): StreamState => {
    let s = streams.get(commandId);
    if (!s) {
      const [output, setOutput] = createSignal('');
      const [state, setState] = createSignal<CmdFrame | null>(null);
      s = { output, state, setOutput, setState, pending: [] };
      streams.set(commandId, s);
      if (streams.size > MAX_STREAMS) streams.delete(streams.keys().next().value!);
    }
    return s;
  };

  // Output can arrive line by line; repainting a large <pre> per line would stall the page.
  const flush = () => {
    flushTimer = undefined;
    for (const s of streams.values()) {
      if (s.pending.length) {
        s.setOutput(s.output() + s.pending.join(''));
        s.pending = [];
      }
    }
  };

  const socket = openLiveSocket({
    path: `/devices/${encodeURIComponent(deviceId)}/live`,
    schema: DeviceViewFrame,
    onFrame(frame) {
      switch (frame.t) {
        case 'status':
          setOnline(frame.online);
          setLastSeenAt(frame.lastSeenAt);
          break;
        case 'metrics':
          setLatest(frame.sample);
          setOnline(true);
          for (const l of sampleListeners) l(frame.sample);
          break;
        case 'state':
          for (const l of stateListeners) l(frame.section, frame.at);
          break;
        case 'check':
          for (const l of checkListeners) l(frame);
          break;
        case 'out':
          stream(frame.commandId).pending.push(frame.data);
          flushTimer ??= setTimeout(flush, FLUSH_MS);
          break;
        case 'cmd':
          flush();
          stream(frame.commandId).setState(frame);
          break;
      }
    },
  });

  return {
    connected: socket.connected,
    online,
    lastSeenAt,
    latest,
    onSample: (l) => void sampleListeners.add(l),
    onState: (l) => listen(stateListeners, l),
    onCheck: (l) => listen(checkListeners, l),
    stream,
  };
}
