import { operand, repoInstaller, WINDOWS_REBOOT_CODES, type Argv } from './common';

export const chocoInstall = (name: string, version: string): Argv => ({ command: 'choco', args: ['install', operand(name, 'package name'), '--version', operand(version, 'version'), '-y', '--no-progress'] });
export const chocoUninstall = (name: string): Argv => ({ command: 'choco', args: ['uninstall', operand(name, 'package name'), '-y', '--no-progress'] });

export const choco = repoInstaller({ install: chocoInstall, remove: chocoUninstall, installLabel: 'choco install', removeLabel: 'choco uninstall', reboot: WINDOWS_REBOOT_CODES });
