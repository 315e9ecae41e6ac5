import type { CheckOf } from '../../../protocol/checks';
import { listProcesses, nameMatches } from '../system/process-names';
import { fail, pass, type CheckContext, type Outcome } from './outcome';

export async function processCheck(c: CheckOf<'process'>, ctx: Pick<CheckContext, 'platform'>): Promise<Outcome> {
  const list = await listProcesses(ctx.platform);
  if (!list) return fail(`cannot read the process list to look for ${c.process}`);
  const found = list.filter((p) => nameMatches(p, c.process, ctx.platform));
  const pids = found.slice(0, 5).map((p) => p.pid).join(', ') + (found.length > 5 ? ', …' : '');
  if (c.expect === 'running') {
    return found.length
      ? pass(`${c.process} is running (${found.length} process${found.length > 1 ? 'es' : ''})`, { value: found.length })
      : fail(`${c.process} is not running`, { value: 0 });
  }
  return found.length
    ? fail(`${c.process} is running and should not be (pid ${pids})`, { value: found.length })
    : pass(`no ${c.process} process is running`, { value: 0 });
}
