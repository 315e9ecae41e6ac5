import { describe, expect, it } from 'vitest';
import { SCRIPT_CATEGORIES, SECRET_MASK, type CatalogScript } from '../../../protocol/scripts';
import { CATALOG, builtinId, findBuiltin } from './catalog';
import { diagnostics } from './catalog/diagnostics';
import { inventory } from './catalog/inventory';
import { maintenance } from './catalog/maintenance';
import { network } from './catalog/network';
import { security } from './catalog/security';
import { software } from './catalog/software';
import { renderRun, type ResolvedScript } from './render';

const resolved = (s: CatalogScript): ResolvedScript => ({
  id: builtinId(s.slug),
  version: s.version,
  name: s.name,
  interpreter: s.interpreter,
  body: s.body,
  params: s.params,
  defaultTimeoutSeconds: s.defaultTimeoutSeconds,
});

/** How each interpreter reads PARAM_<NAME>; a bare mention in a comment would not do. */
function readsParam(s: CatalogScript, name: string): boolean {
  const env = `PARAM_${name}`;
  switch (s.interpreter) {
    case 'bash':
    case 'sh':
      return new RegExp(`\\$${env}\\b`).test(s.body);
    case 'powershell':
      return new RegExp(`\\$env:${env}\\b`, 'i').test(s.body);
    case 'python':
      return new RegExp(`["']${env}["']`).test(s.body);
  }
}

const by = <K extends string>(key: (s: CatalogScript) => K) =>
  CATALOG.reduce<Record<string, number>>((acc, s) => ({ ...acc, [key(s)]: (acc[key(s)] ?? 0) + 1 }), {});

describe('the shipped script catalog', () => {
  it('holds at least 40 scripts with unique slugs, each found by its builtin id', () => {
    expect(CATALOG.length).toBeGreaterThanOrEqual(40);
    expect(new Set(CATALOG.map((s) => s.slug)).size).toBe(CATALOG.length);
    for (const s of CATALOG) expect(findBuiltin(builtinId(s.slug))).toBe(s);
  });

  it('has at least five scripts in every category, each file holding only its own', () => {
    const counts = by((s) => s.category);
    for (const c of SCRIPT_CATEGORIES) expect(counts[c] ?? 0, c).toBeGreaterThanOrEqual(5);
    const files = { maintenance, diagnostics, security, software, inventory, network };
    for (const [category, entries] of Object.entries(files)) {
      expect(entries.map((e) => e.category).filter((c) => c !== category), category).toEqual([]);
    }
  });

  it('ships at least 12 PowerShell and 5 Python scripts', () => {
    const counts = by((s) => s.interpreter);
    expect(counts.powershell).toBeGreaterThanOrEqual(12);
    expect(counts.python).toBeGreaterThanOrEqual(5);
  });

  it('claims platforms honestly: PowerShell only for Windows, shell scripts never for Windows', () => {
    for (const s of CATALOG) {
      if (s.interpreter === 'powershell') expect(s.platforms, s.slug).toEqual(['windows']);
      if (s.interpreter === 'bash' || s.interpreter === 'sh') expect(s.platforms, s.slug).not.toContain('windows');
      expect(new Set(s.platforms).size, s.slug).toBe(s.platforms.length);
    }
  });

  it('reads every declared parameter in the body', () => {
    const unused = CATALOG.flatMap((s) => s.params.filter((p) => !readsParam(s, p.name)).map((p) => `${s.slug}: ${p.name}`));
    expect(unused).toEqual([]);
  });

  it('starts scripts in their strict mode so a failing step is not silently skipped', () => {
    for (const s of CATALOG) {
      if (s.interpreter === 'powershell') expect(s.body, s.slug).toMatch(/^\$ErrorActionPreference = 'Stop'$/m);
      if (s.interpreter === 'bash' || s.interpreter === 'sh') expect(s.body, s.slug).toMatch(/^set -eu?\n/);
    }
  });

  it('renders with no values given whenever every required parameter has a default', () => {
    for (const s of CATALOG) {
      const missing = s.params.filter((p) => p.required && (p.type === 'secret' || p.default === undefined)).map((p) => p.name);
      const r = renderRun(resolved(s), {});
      if (missing.length === 0) {
        expect(r.ok, s.slug).toBe(true);
        if (!r.ok) continue;
        // Every parameter with a default arrives as its variable, so scripts need no fallbacks of their own.
        const withDefault = s.params.filter((p) => p.type !== 'secret' && p.default !== undefined).map((p) => `PARAM_${p.name}`);
        expect(Object.keys(r.params.env).sort(), s.slug).toEqual(withDefault.sort());
        expect(r.params.interpreter).toBe(s.interpreter);
        expect(r.params.timeoutSeconds).toBe(s.defaultTimeoutSeconds);
      } else {
        expect(r.ok, s.slug).toBe(false);
        if (r.ok) continue;
        expect(r.issues.map((i) => i.path).sort(), s.slug).toEqual(missing.map((n) => `values.${n}`).sort());
      }
    }
  });

  it('never gives a secret a default, and masks a given secret everywhere but the agent payload', () => {
    const entries = [...maintenance, ...diagnostics, ...security, ...software, ...inventory, ...network];
    const secrets = entries.flatMap((e) => (e.params ?? []).filter((p) => p.type === 'secret').map((p) => ({ slug: e.slug, param: p })));
    expect(secrets.length).toBeGreaterThan(0);
    for (const { slug, param } of secrets) {
      expect(param, slug).not.toHaveProperty('default');
      const s = CATALOG.find((c) => c.slug === slug)!;
      const values = Object.fromEntries(
        s.params.filter((p) => p.required && p.type !== 'secret' && p.default === undefined).map((p) => [p.name, p.type === 'number' ? (p.min ?? 1) : 'Admin']),
      );
      const r = renderRun(resolved(s), { ...values, [param.name]: 'Corr3ct-Horse-Battery' });
      expect(r.ok, slug).toBe(true);
      if (!r.ok) continue;
      expect(r.params.env[`PARAM_${param.name}`]).toBe('Corr3ct-Horse-Battery');
      expect(r.params.secretEnv).toEqual([`PARAM_${param.name}`]);
      expect(r.masked[param.name]).toBe(SECRET_MASK);
      expect(JSON.stringify(r.masked)).not.toContain('Corr3ct-Horse-Battery');
    }
  });

  it('defaults every dry-run switch of a script that deletes or resets to on', () => {
    const dryRuns = CATALOG.flatMap((s) => s.params.filter((p) => p.name === 'DRY_RUN').map((p) => ({ slug: s.slug, p, body: s.body })));
    expect(dryRuns.length).toBeGreaterThanOrEqual(5);
    for (const { slug, p, body } of dryRuns) {
      expect(p.type, slug).toBe('boolean');
      // A restart is not destructive; anything that removes, cleans or renames must default to a dry run.
      if (/\b(os\.remove|Remove-Item|Rename-Item|clean|--vacuum)/.test(body)) expect(p.type === 'boolean' && p.default, slug).toBe(true);
    }
  });

  it('downloads nothing and uses only the Python standard library', () => {
    const stdlib = new Set('ctypes datetime heapq json os platform re shutil socket ssl subprocess sys tempfile time urllib'.split(' '));
    for (const s of CATALOG) {
      expect(s.body, s.slug).not.toMatch(/\b(curl|wget|Invoke-WebRequest|Invoke-RestMethod|DownloadFile|Start-BitsTransfer|Update-MpSignature)\b/i);
      if (s.interpreter !== 'python') continue;
      const imported = [...s.body.matchAll(/^\s*(?:import|from)\s+([\w., ]+?)(?:\s+import\b.*)?$/gm)].flatMap((m) => m[1].split(',').map((x) => x.trim().split('.')[0]));
      expect(imported.length, s.slug).toBeGreaterThan(0);
      for (const mod of imported) expect(stdlib.has(mod), `${s.slug} imports ${mod}`).toBe(true);
    }
  });
});
