import type { AgentCheck } from '../../../protocol/checks';
import { httpCheck } from './http-check';
import type { CheckContext, Outcome } from './outcome';
import { pingCheck } from './ping-check';
import { processCheck } from './process-check';
import { scriptCheck } from './script-check';
import { serviceCheck } from './service-check';
import { tcpCheck } from './tcp-check';

/** Runs one agent check of any type. */
export function runCheck(check: AgentCheck, ctx: CheckContext): Promise<Outcome> {
  switch (check.type) {
    case 'service':
      return serviceCheck(check, ctx);
    case 'process':
      return processCheck(check, ctx);
    case 'ping':
      return pingCheck(check, ctx);
    case 'tcp':
      return tcpCheck(check, ctx);
    case 'http':
      return httpCheck(check, ctx);
    case 'script':
      return scriptCheck(check, ctx);
  }
}
