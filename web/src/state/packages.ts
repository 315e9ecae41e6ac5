import type * as v from 'valibot';
import type { CreatePackageBody, CreateVersionBody, Package, PackageDetail, PackageVersion } from '../../../protocol/api/packages';
import { INSTALLER_PLATFORM, InstallerType, isFileInstaller, type DetectionRule, type PackagePlatform } from '../../../protocol/packages';
import { api, call } from '../api/client';
import type { Page } from '../lib/paged-list';
import { compact } from '../lib/query';
import { can, me } from './session';

export type { Package, PackageDetail, PackageVersion, DetectionRule, PackagePlatform };
export type Installer = v.InferOutput<typeof InstallerType>;
export type NewPackage = v.InferInput<typeof CreatePackageBody>;
export type NewVersion = v.InferInput<typeof CreateVersionBody>;

export const INSTALLERS = InstallerType.options;
export { INSTALLER_PLATFORM, isFileInstaller };

export const INSTALLER_LABEL: Record<Installer, string> = {
  deb: '.deb file (dpkg)',
  rpm: '.rpm file (rpm)',
  pkg: '.pkg file (macOS installer)',
  msi: '.msi file (msiexec)',
  exe: '.exe installer (silent switches)',
  apt: 'apt package (by name)',
  dnf: 'dnf package (by name)',
  brew: 'Homebrew formula or cask',
  winget: 'winget package id',
  choco: 'Chocolatey package',
};

export const PLATFORM_LABEL: Record<PackagePlatform, string> = { linux: 'Linux', macos: 'macOS', windows: 'Windows' };

/** The file picker's hint for an installer's file type. */
export const INSTALLER_ACCEPT: Partial<Record<Installer, string>> = { deb: '.deb', rpm: '.rpm', pkg: '.pkg', msi: '.msi', exe: '.exe' };

/**
 * Publishing to the catalog needs admin and no client limit (the catalog serves every
 * client); the server refuses anyone else, so the buttons are not offered to them.
 */
export function canPublish(): boolean {
  return can('admin') && (me()?.user.clientIds ?? null) === null;
}

export interface PackageQuery {
  q?: string;
  platform?: string;
  installer?: string;
}

export function listPackages(q: PackageQuery, cursor?: string): Promise<Page<Package>> {
  return call(api.packages.$get({ query: compact({ ...q, cursor, limit: '50' }) as never }));
}

export function loadPackage(id: string): Promise<PackageDetail> {
  return call(api.packages[':id'].$get({ param: { id } }));
}

export function createPackage(json: NewPackage): Promise<PackageDetail> {
  return call(api.packages.$post({ json }));
}

export function deletePackage(id: string): Promise<unknown> {
  return call(api.packages[':id'].$delete({ param: { id } }));
}

export function createVersion(packageId: string, json: NewVersion): Promise<PackageVersion> {
  return call(api.packages[':id'].versions.$post({ param: { id: packageId }, json }));
}

export function loadVersion(packageId: string, versionId: string): Promise<PackageVersion> {
  return call(api.packages[':id'].versions[':vid'].$get({ param: { id: packageId, vid: versionId } }));
}

/** Deletes a version; an uploading one has its upload aborted by the server. */
export function deleteVersion(packageId: string, versionId: string): Promise<unknown> {
  return call(api.packages[':id'].versions[':vid'].$delete({ param: { id: packageId, vid: versionId } }));
}

export function completeUpload(packageId: string, versionId: string, parts: { partNumber: number; etag: string }[]): Promise<PackageVersion> {
  return call(api.packages[':id'].versions[':vid'].complete.$post({ param: { id: packageId, vid: versionId }, json: { parts } }));
}

/** The part upload's path (the bytes go by XMLHttpRequest for its progress events). */
export function partPath(packageId: string, versionId: string, n: number): string {
  return `/api/v1/packages/${encodeURIComponent(packageId)}/versions/${encodeURIComponent(versionId)}/parts/${n}`;
}

/** What the agent checks after installing, in words. */
export function describeDetection(rule: DetectionRule): string {
  if (rule.type === 'file') return `file ${rule.path} exists`;
  const match = rule.match === 'any' ? 'any version' : rule.match === 'atLeast' ? 'this version or newer' : 'exactly this version';
  return `software “${rule.name}” installed, ${match}`;
}
