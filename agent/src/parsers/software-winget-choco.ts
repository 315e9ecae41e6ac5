import type { SoftwareItem } from '../../../protocol/inventory';
import { asArray, asRecord, psString } from '../powershell';
import { present, softwareItem, softwareList } from './software-items';

/*
 * The Windows package managers. `winget list` is a table whose columns are cut to the console
 * width, so winget is read from its export file, which names every package a source knows and
 * its installed version. Chocolatey prints one package per line.
 */

/** Arguments for `winget export`; the file path is appended by the collector. */
export const WINGET_EXPORT_ARGS = ['export', '--include-versions', '--accept-source-agreements', '--output'];

/** The file `winget export` writes (packages grouped by the source they came from). */
export function parseWingetExport(json: unknown): SoftwareItem[] {
  const rows = asArray(asRecord(json)?.Sources).flatMap((source) =>
    asArray(source.Packages).map((p) => softwareItem('winget', { name: psString(p.PackageIdentifier, 1000), version: present(psString(p.Version, 1000)) })),
  );
  return softwareList(rows);
}

/**
 * `choco list`: Chocolatey 2 prints a banner, `name version` lines and a count; with
 * --limit-output (-r) only `name|version` lines. Chocolatey 1 needs --local-only for either.
 */
export function parseChocoList(text: string): SoftwareItem[] {
  const rows = text.split('\n').map((raw) => {
    const line = raw.replace(/\r$/, '').trim();
    const piped = line.split('|');
    if (piped.length === 2) return softwareItem('choco', { name: piped[0], version: present(piped[1]) });
    const m = /^(\S+) (\d\S*)$/.exec(line);
    // The banner ("Chocolatey v2.2.2") and the summary ("12 packages installed.") fail the pattern.
    if (!m || m[1] === 'Chocolatey') return null;
    return softwareItem('choco', { name: m[1], version: m[2] });
  });
  return softwareList(rows);
}

/** `choco --version`: "2.2.2", or "1.4.0" where `choco list` still means the remote feed. */
export function chocoMajor(text: string): number | null {
  const m = /^(\d+)\./.exec(text.trim());
  return m ? Number(m[1]) : null;
}
