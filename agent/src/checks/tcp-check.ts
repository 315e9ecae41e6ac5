import { connect } from 'node:net';
import type { CheckOf } from '../../../protocol/checks';
import { describeError } from '../log';
import { fail, pass, type CheckContext, type Outcome } from './outcome';

/** "[::1]" is how an IPv6 literal is written next to a port; sockets want it bare. */
export const bareHost = (host: string) => host.replace(/^\[(.*)\]$/, '$1');

export function tcpCheck(c: CheckOf<'tcp'>, ctx: Pick<CheckContext, 'signal'>): Promise<Outcome> {
  const started = performance.now();
  const target = `${c.host}:${c.port}`;
  return new Promise((resolve) => {
    const socket = connect({ host: bareHost(c.host), port: c.port });
    const done = (o: Outcome) => {
      clearTimeout(timer);
      ctx.signal.removeEventListener('abort', onAbort);
      socket.destroy();
      resolve(o);
    };
    const onAbort = () => done(fail(`check of ${target} was stopped`));
    const timer = setTimeout(() => done(fail(`no connection to ${target} within ${c.timeoutMs} ms`)), c.timeoutMs);
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    socket.once('connect', () => {
      const ms = Math.round(performance.now() - started);
      done(pass(`${target} accepted a connection in ${ms} ms`, { value: ms }));
    });
    socket.once('error', (err) => done(fail(`cannot connect to ${target}: ${describeError(err)}`)));
  });
}
