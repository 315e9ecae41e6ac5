import * as v from 'valibot';
import { ServerFrame, type AgentFrame, type HelloFrame } from '../../protocol/agent-frames';
import { AgentSocket } from './agent-socket';
import { CommandRunner } from './commands';
import { ensurePrivateDir } from './fs-atomic';
import { Heartbeat } from './heartbeat';
import { InventorySender } from './inventory/sender';
import { loadIdentity } from './identity';
import { firstIssue } from './issues';
import { Journal } from './journal';
import { describeError, log } from './log';
import { machineFacts } from './machine';
import { MetricsCollector, primeCpu } from './metrics';
import { frameProblem } from './frame-guard';
import { Monitor } from './monitor';
import { Outbox, type NewDurableFrame } from './outbox';
import { PatchManager } from './patches/manager';
import type { StatePaths } from './paths';
import { connectUrl } from './server-url';
import { EXIT_UNAUTHORIZED } from './exit-codes';
import { acquireRunLock } from './run-lock';
import { RunStatusWriter } from './status-file';
import { importSigningKey } from './verify';
import { AGENT_VERSION } from './version';

/** Connects and serves until stopped; resolves with the process exit code. */
export async function runAgent(paths: StatePaths): Promise<number> {
  const identity = loadIdentity(paths);
  ensurePrivateDir(paths.dir);
  const releaseLock = acquireRunLock(paths.lock);
  const outbox = Outbox.open(paths.outbox);
  const journal = Journal.open(paths.journal);
  const status = new RunStatusWriter(paths.status);
  status.update({ state: 'connecting' });
  primeCpu();
  const facts = await machineFacts();
  const hello: HelloFrame = { t: 'hello', agentVersion: AGENT_VERSION, ...facts, lastFid: 0 };

  let socket: AgentSocket | null = null;
  const send = (frame: AgentFrame) => socket?.send(JSON.stringify(frame)) ?? false;
  const key = importSigningKey(identity.signingPublicKey);
  const inventory = new InventorySender({
    path: paths.inventory,
    emit(frame) {
      const numbered = outbox.add(frame);
      send(numbered);
      return numbered.fid;
    },
    unacked: (fid) => outbox.has(fid),
  });
  const patches = new PatchManager({
    statePath: paths.patches,
    // Checked before it is kept, as monitoring frames are: one the hub refused would be resent forever.
    emit(frame) {
      const problem = frameProblem({ ...frame, fid: outbox.lastFid + 1 });
      if (problem) {
        log.error(`a patches frame was not sent: ${problem}`);
        return;
      }
      send(outbox.add(frame));
    },
  });
  const runner = new CommandRunner({
    key,
    deviceId: identity.deviceId,
    tenantId: identity.tenantId,
    journal,
    scratchDir: paths.scratch,
    emit: (frame) => send(outbox.add(frame)),
    collectInventory: () => inventory.collectNow(),
    patches,
    deploy: {
      server: identity.server,
      deviceToken: identity.deviceToken,
      packagesDir: paths.packages,
      // Progress is not kept: when offline it is skipped, and the done frame says how it ended.
      sendStep: (frame) => void send(frame),
    },
  });
  runner.reportInterrupted((id) => outbox.hasDoneFor(id));
  const metrics = new MetricsCollector();
  const heartbeat = new Heartbeat(() => metrics.collect(), send);
  const monitor = new Monitor({
    paths,
    key,
    deviceId: identity.deviceId,
    tenantId: identity.tenantId,
    send,
    // Monitoring frames are checked before they are kept: one the hub would refuse would be
    // resent, and refused, after every reconnect.
    emitDurable(frame: NewDurableFrame) {
      const problem = frameProblem({ ...frame, fid: outbox.lastFid + 1 });
      if (problem) {
        log.error(`a ${frame.t} frame was not sent: ${problem}`);
        return null;
      }
      const numbered = outbox.add(frame);
      send(numbered);
      return numbered;
    },
    unacked: (fid) => outbox.has(fid),
    inventory,
  });
  monitor.start();
  patches.start();

  const onServerFrame = (text: string) => {
    let parsed;
    try {
      parsed = v.safeParse(ServerFrame, JSON.parse(text));
    } catch {
      log.warn(`ignored a server frame that is not JSON (${text.length} chars)`);
      return;
    }
    if (!parsed.success) {
      log.warn(`ignored an invalid server frame: ${firstIssue(parsed.issues)}`);
      return;
    }
    const frame = parsed.output;
    switch (frame.t) {
      case 'welcome':
        if (frame.deviceId !== identity.deviceId) log.warn(`server welcomed device ${frame.deviceId}, expected ${identity.deviceId}`);
        log.info(`connected as ${identity.deviceId}, heartbeat every ${frame.heartbeatSeconds} s`);
        heartbeat.start(frame.heartbeatSeconds);
        inventory.onWelcome();
        return;
      case 'config':
        log.info(`heartbeat interval now ${frame.heartbeatSeconds} s`);
        heartbeat.start(frame.heartbeatSeconds);
        return;
      case 'ack':
        outbox.ack(frame.fids);
        monitor.onAck(frame.fids);
        return;
      case 'hb_ack':
        return;
      case 'cmd':
        runner.handle(frame.cmd);
        return;
      case 'checks':
        monitor.onChecks(frame.config);
        return;
      case 'inv_resync':
        inventory.onResync();
        return;
      case 'inv_reject':
        inventory.onReject(frame);
        return;
    }
  };

  const url = connectUrl(identity.server);
  if (url.startsWith('ws:') && !/^ws:\/\/(localhost|127\.|\[::1\])/.test(url)) {
    log.warn('the server URL is plain http: the device token and commands travel unencrypted');
  }
  socket = new AgentSocket(url, identity.deviceToken, {
    onOpen() {
      status.update({ state: 'connected', lastConnectedAt: Date.now(), lastError: null, lastCloseCode: null });
      send({ ...hello, lastFid: outbox.lastFid });
      const backlog = outbox.pending();
      if (backlog.length) log.info(`resending ${backlog.length} unacknowledged frame(s)`);
      for (const frame of backlog) send(frame);
      monitor.onConnect();
    },
    onMessage(text) {
      try {
        onServerFrame(text);
      } catch (err) {
        // A failure handling one frame (a full disk, say) must not take the connection down.
        log.error(`failed to handle a server frame: ${describeError(err)}`);
      }
    },
    onDown({ code, reason, error, retryInMs }) {
      heartbeat.stop();
      const what = code === null ? `cannot connect to ${url}` : `disconnected (code ${code}${reason ? `: ${reason}` : ''})`;
      if (retryInMs >= 0) log.warn(`${what}${error ? `: ${error}` : ''}; retrying in ${(retryInMs / 1000).toFixed(1)} s`);
      status.update({ state: 'disconnected', lastError: error ?? (code === null ? null : `closed with ${code}`), lastCloseCode: code });
    },
  });
  log.info(`tether-agent ${AGENT_VERSION} starting for device ${identity.deviceId} (${url})`);
  socket.start();

  let shuttingDown = false;
  const shutdown = async (signal: string) => {
    if (shuttingDown) process.exit(1);
    shuttingDown = true;
    log.info(`${signal}: stopping`);
    heartbeat.stop();
    monitor.stop();
    patches.stop();
    await runner.interruptAll();
    await socket!.stop();
  };
  const onSignal = (signal: NodeJS.Signals) => void shutdown(signal).catch((err) => log.error(describeError(err)));
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const end = await socket.ended;
  heartbeat.stop();
  monitor.stop();
  patches.stop();
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  if (end.kind === 'unauthorized') {
    await runner.interruptAll();
    status.update({ state: 'unauthorized', lastError: end.detail });
    log.error(`${end.detail}. This device was revoked or deleted: not reconnecting. Re-enroll it to bring it back.`);
  } else {
    status.update({ state: 'stopped' });
  }
  outbox.close();
  journal.close();
  releaseLock();
  return end.kind === 'unauthorized' ? EXIT_UNAUTHORIZED : 0;
}
