import * as v from 'valibot';

/* The parts of a V8 CPU profile (Chrome DevTools Protocol, Profiler.stop) that are read here. */
export const CpuProfile = v.object({
  nodes: v.array(
    v.object({
      id: v.number(),
      callFrame: v.object({ functionName: v.string(), url: v.string(), lineNumber: v.number() }),
      hitCount: v.optional(v.number(), 0),
    }),
  ),
  startTime: v.number(),
  endTime: v.number(),
  samples: v.optional(v.array(v.number()), []),
});
export type CpuProfile = v.InferOutput<typeof CpuProfile>;

export interface Hotspot {
  name: string;
  ms: number;
  share: number;
}

/**
 * Maps bundle lines to the source module they came from, using the `// path` comments
 * esbuild writes before each module, so time can be charged to hono, drizzle-orm, valibot,
 * worker/… or durable/… rather than to one big index.js.
 */
export function moduleIndex(bundle: string): (line: number) => string {
  const starts: { line: number; module: string }[] = [];
  bundle.split('\n').forEach((text, line) => {
    const m = /^\/\/ ((?:node_modules\/)?[\w@.\-/]+\.(?:m?[jt]s|json))$/.exec(text);
    if (m) starts.push({ line, module: groupOf(m[1]) });
  });
  return (line) => {
    let lo = 0;
    let hi = starts.length - 1;
    let found = '(bundle prelude)';
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (starts[mid].line <= line) {
        found = starts[mid].module;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  };
}

/** node_modules/@scope/pkg/… → @scope/pkg; worker/routes/agent.ts stays a file. */
function groupOf(path: string): string {
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  return nm ? nm[1] : path;
}

/** Self time per function and per module, largest first. */
export function hotspots(profile: CpuProfile, bundleUrl: (url: string) => boolean, moduleOf: (line: number) => string) {
  const total = profile.endTime - profile.startTime;
  const perSample = profile.samples.length ? total / profile.samples.length : 0;
  const byFunction = new Map<string, number>();
  const byModule = new Map<string, number>();
  for (const node of profile.nodes) {
    if (!node.hitCount) continue;
    const f = node.callFrame;
    const ms = (node.hitCount * perSample) / 1000;
    const inBundle = bundleUrl(f.url);
    const module = inBundle ? moduleOf(f.lineNumber) : f.url ? `(runtime: ${f.url.split('/').pop()})` : f.functionName || '(anonymous)';
    const fn = `${f.functionName || '(anonymous)'} — ${inBundle ? module : f.url || 'native'}${inBundle ? `:${f.lineNumber + 1}` : ''}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + ms);
    byModule.set(module, (byModule.get(module) ?? 0) + ms);
  }
  const rank = (m: Map<string, number>): Hotspot[] =>
    [...m.entries()]
      .map(([name, ms]) => ({ name, ms: Math.round(ms), share: total ? Math.round((ms / (total / 1000)) * 1000) / 10 : 0 }))
      .sort((a, b) => b.ms - a.ms);
  return { wallMs: Math.round(total / 1000), functions: rank(byFunction), modules: rank(byModule) };
}
