import { operand, repoInstaller, type Argv } from './common';

export const dnfInstall = (name: string, version: string): Argv => ({ command: 'dnf', args: ['install', '-y', `${operand(name, 'package name')}-${operand(version, 'version')}`] });
export const dnfRemove = (name: string): Argv => ({ command: 'dnf', args: ['remove', '-y', operand(name, 'package name')] });

export const dnf = repoInstaller({ install: dnfInstall, remove: dnfRemove, installLabel: 'dnf install', removeLabel: 'dnf remove' });
