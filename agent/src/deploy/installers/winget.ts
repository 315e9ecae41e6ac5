import { operand, repoInstaller, type Argv } from './common';

const QUIET = ['--silent', '--accept-source-agreements', '--disable-interactivity'];

// --exact: the id matches as a whole, never as a substring of another package's id.
export const wingetInstall = (id: string, version: string): Argv => ({
  command: 'winget',
  args: ['install', '--id', operand(id, 'package id'), '--exact', '--version', operand(version, 'version'), '--silent', '--accept-package-agreements', '--accept-source-agreements', '--disable-interactivity'],
});
export const wingetUninstall = (id: string): Argv => ({ command: 'winget', args: ['uninstall', '--id', operand(id, 'package id'), '--exact', ...QUIET] });

export const winget = repoInstaller({ install: wingetInstall, remove: wingetUninstall, installLabel: 'winget install', removeLabel: 'winget uninstall' });
