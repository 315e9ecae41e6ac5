import type { PatchClassification, PatchItem, PatchSeverity } from '../../../protocol/patches';
import { SEVERITY_RANK, patchKey } from '../../../protocol/patches';
import { patchItem, severityWord, uniqueItems } from './patches-item';

/*
 * dnf names a package update by NEVRA ("openssl-libs-1:3.0.7-27.el9.x86_64"). Three listings
 * are joined: `updateinfo list --updates` (advisory, type, severity per package),
 * `check-update` (every available update, advisories or not) and, for CVE ids and dates,
 * `updateinfo info --updates`. Items are named "name.arch" as check-update prints them, so
 * one key names one package on one architecture at one version.
 */

export interface Nevra {
  name: string;
  arch: string;
  /** [epoch:]version-release */
  evr: string;
}

const NEVRA = /^(.+)-(?:(\d+):)?([^-:]+)-([^-]+)\.([A-Za-z0-9_]+)$/;
export const RPM_NAME = /^[A-Za-z0-9_+][A-Za-z0-9_+.-]*$/;
const EVR = /^(?:\d+:)?[A-Za-z0-9._+~^]+-[A-Za-z0-9._+~^]+$/;

export function parseNevra(text: string): Nevra | null {
  const m = NEVRA.exec(text);
  if (!m || !RPM_NAME.test(m[1])) return null;
  return { name: m[1], arch: m[5], evr: `${m[2] && m[2] !== '0' ? `${m[2]}:` : ''}${m[3]}-${m[4]}` };
}

/** The argument `dnf upgrade` takes for this exact build. */
export function nevraText(n: Nevra): string {
  return `${n.name}-${n.evr}.${n.arch}`;
}

export interface DnfAdvisoryRow {
  id: string;
  classification: PatchClassification;
  severity: PatchSeverity;
  pkg: Nevra;
}

const TYPES: Record<string, PatchClassification> = { security: 'security', bugfix: 'bugfix', enhancement: 'enhancement', newpackage: 'other', unspecified: 'other' };

/**
 * dnf 4: `RHSA-2024:2758 Important/Sec. kernel-5.14.0-427.16.1.el9_4.x86_64`, or a plain
 * type (bugfix, enhancement) in the middle column. dnf 5 prints a header and
 * `id  type  severity  nevra  issued-date issued-time`.
 */
export function parseDnfUpdateinfoList(text: string): DnfAdvisoryRow[] {
  const rows: DnfAdvisoryRow[] = [];
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length < 3 || /^name$/i.test(f[0])) continue;
    const [id, kind] = f;
    let classification: PatchClassification;
    let severity: PatchSeverity = 'unknown';
    let rest: string[];
    const sec = /^(\w+)\/Sec\.$/i.exec(kind);
    if (sec) {
      classification = 'security';
      severity = severityWord(sec[1]);
      rest = f.slice(2);
    } else if (TYPES[kind.toLowerCase()]) {
      classification = TYPES[kind.toLowerCase()];
      // dnf 5: a severity column ("None", "Moderate") comes before the package.
      const dnf5 = f.length >= 4 && !parseNevra(f[2]) && parseNevra(f[3]);
      if (dnf5) severity = severityWord(f[2]);
      rest = f.slice(dnf5 ? 3 : 2);
    } else {
      continue;
    }
    const pkg = parseNevra(rest[0] ?? '');
    if (!pkg || !/^[A-Za-z0-9][A-Za-z0-9:._-]*$/.test(id)) continue;
    rows.push({ id, classification, severity, pkg });
  }
  return rows;
}

/** `check-update`: `name.arch  [epoch:]version-release  repo`; obsoletes come after a heading. */
export function parseDnfCheckUpdateList(text: string): Nevra[] {
  const out: Nevra[] = [];
  for (const line of text.split('\n')) {
    if (/^Obsoleting Packages/i.test(line)) break;
    const f = line.trim().split(/\s+/);
    if (f.length !== 3) continue;
    const dot = f[0].lastIndexOf('.');
    if (dot <= 0) continue;
    const name = f[0].slice(0, dot);
    const arch = f[0].slice(dot + 1);
    const evr = f[1].replace(/^0:/, '');
    if (!RPM_NAME.test(name) || !/^[A-Za-z0-9_]+$/.test(arch) || !EVR.test(evr)) continue;
    out.push({ name, arch, evr });
  }
  return out;
}

export interface DnfAdvisoryInfo {
  cves: string[];
  issuedAt: number | null;
}

/**
 * `updateinfo info --updates`: one block per advisory, "Update ID: …", "CVEs: CVE-…" with
 * further ids on continuation lines (": CVE-…"), "Issued:" or "Updated:" as a date.
 */
export function parseDnfUpdateinfoInfo(text: string): Map<string, DnfAdvisoryInfo> {
  const out = new Map<string, DnfAdvisoryInfo>();
  let current: DnfAdvisoryInfo | null = null;
  let field = '';
  for (const raw of text.split('\n')) {
    const m = /^\s*([A-Za-z][A-Za-z ]*?)?\s*:\s?(.*)$/.exec(raw);
    if (!m) continue;
    if (m[1]) field = m[1].trim().toLowerCase();
    const value = m[2].trim();
    if (field === 'update id') {
      current = { cves: [], issuedAt: null };
      out.set(value, current);
    } else if (current && field === 'cves') {
      for (const id of value.match(/CVE-\d{4}-\d{4,}/g) ?? []) if (!current.cves.includes(id)) current.cves.push(id);
    } else if (current && (field === 'issued' || field === 'updated') && current.issuedAt === null) {
      const t = Date.parse(`${value.replace(' ', 'T')}Z`);
      if (Number.isFinite(t)) current.issuedAt = t;
    }
  }
  return out;
}

const CLASS_RANK: Partial<Record<PatchClassification, number>> = { security: 3, bugfix: 2, enhancement: 1 };

/** One item per name.arch: the version check-update offers, rated by the worst advisory that fixes it. */
export function dnfPatchItems(available: readonly Nevra[], advisories: readonly DnfAdvisoryRow[], info: ReadonlyMap<string, DnfAdvisoryInfo> = new Map()): PatchItem[] {
  const byPkg = new Map<string, { pkg: Nevra; rows: DnfAdvisoryRow[] }>();
  for (const pkg of available) byPkg.set(`${pkg.name}.${pkg.arch}`, { pkg, rows: [] });
  for (const row of advisories) {
    const id = `${row.pkg.name}.${row.pkg.arch}`;
    const entry = byPkg.get(id) ?? { pkg: row.pkg, rows: [] };
    entry.rows.push(row);
    byPkg.set(id, entry);
  }
  return uniqueItems(
    [...byPkg.entries()].map(([id, { pkg, rows }]) => {
      const worst = [...rows].sort(
        (a, b) => (CLASS_RANK[b.classification] ?? 0) - (CLASS_RANK[a.classification] ?? 0) || SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity],
      )[0];
      const details = rows.map((r) => info.get(r.id)).filter((d): d is DnfAdvisoryInfo => !!d);
      const dates = details.map((d) => d.issuedAt).filter((t): t is number => t !== null);
      return patchItem({
        key: patchKey('dnf', id, pkg.evr),
        source: 'dnf',
        name: id,
        title: `${pkg.name} ${pkg.evr}${worst ? ` (${worst.id})` : ''}`,
        availableVersion: pkg.evr,
        classification: worst?.classification ?? 'other',
        severity: worst?.severity ?? 'unknown',
        cves: details.flatMap((d) => d.cves),
        advisory: worst?.id ?? null,
        rebootRequired: /^(kernel|kernel-core|glibc|systemd|linux-firmware|dbus)$/.test(pkg.name),
        releasedAt: dates.length ? Math.max(...dates) : null,
      });
    }),
  );
}
