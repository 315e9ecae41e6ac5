import type { AgentFrame, DoneFrame, OutputFrame } from '../../../protocol/agent-frames';
import type { FakeHub } from './fake-hub';

export const isDone = (id: string) => (f: AgentFrame): f is DoneFrame => f.t === 'done' && f.id === id;

/** Waits for a command's `done` and returns it with the output the hub received for it. */
export async function result(hub: FakeHub, id: string, timeoutMs = 15_000) {
  const done = await hub.waitFor(isDone(id), timeoutMs);
  const outs = hub.framesOf(id).filter((f): f is OutputFrame => f.t === 'out');
  return {
    done,
    outs,
    stdout: outs.filter((f) => f.stream === 'stdout').map((f) => f.data).join(''),
    stderr: outs.filter((f) => f.stream === 'stderr').map((f) => f.data).join(''),
  };
}
