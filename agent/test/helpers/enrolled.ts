import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FakeHub, newHubIdentity, type HubIdentity, type HubOptions } from './fake-hub';
import { startAgent, stopAgent, tempDir, type AgentProcess } from './agent-process';

/** A hub, a state dir enrolled against it with the real CLI, and helpers to run the agent. */
export interface Rig {
  hub: FakeHub;
  id: HubIdentity;
  state: string;
  agent: AgentProcess | null;
  start(env?: NodeJS.ProcessEnv): AgentProcess;
  /** Starts the agent and waits for its hello on the hub. */
  connect(env?: NodeJS.ProcessEnv): Promise<AgentProcess>;
  /** Replaces the hub with a fresh one on the same port (a server restart). */
  restartHub(opts?: HubOptions): Promise<FakeHub>;
  dispose(): Promise<void>;
}

export async function enrolledRig(opts: HubOptions = {}): Promise<Rig> {
  const id = newHubIdentity();
  const dir = tempDir();
  const state = join(dir.path, 'state');
  const hub = await FakeHub.start(id, opts);
  // What `enroll` writes (enroll.test.ts runs the real command); written directly here
  // so each test does not pay for another process start.
  mkdirSync(state, { recursive: true, mode: 0o700 });
  const identity = {
    server: hub.url,
    deviceId: id.deviceId,
    tenantId: id.tenantId,
    deviceToken: id.token,
    signingPublicKey: id.publicKeyB64,
    heartbeatSeconds: opts.heartbeatSeconds ?? 60,
  };
  writeFileSync(join(state, 'identity.json'), JSON.stringify(identity), { mode: 0o600 });

  const rig: Rig = {
    hub,
    id,
    state,
    agent: null,
    start(env) {
      rig.agent = startAgent(['run', '--state', state], env);
      return rig.agent;
    },
    async connect(env) {
      const hub = rig.hub;
      const from = hub.frames.length;
      const agent = rig.start(env);
      await hub.waitFor((f) => f.t === 'hello' && hub.frames.indexOf(f) >= from);
      return agent;
    },
    async restartHub(next = opts) {
      const port = rig.hub.port;
      await rig.hub.stop();
      rig.hub = await FakeHub.start(id, { ...next, port });
      return rig.hub;
    },
    async dispose() {
      await stopAgent(rig.agent, 'SIGKILL');
      await rig.hub.stop();
      dir.remove();
    },
  };
  return rig;
}
