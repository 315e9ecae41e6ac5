import { operand, repoInstaller, type Argv } from './common';

const env = { DEBIAN_FRONTEND: 'noninteractive' };
// apt waits for a held dpkg lock (unattended upgrades) instead of failing at once.
const LOCK_WAIT = ['-o', 'DPkg::Lock::Timeout=300'];

export const aptInstall = (name: string, version: string): Argv => ({ command: 'apt-get', args: ['install', '-y', ...LOCK_WAIT, `${operand(name, 'package name')}=${operand(version, 'version')}`], env });
export const aptRemove = (name: string): Argv => ({ command: 'apt-get', args: ['remove', '-y', ...LOCK_WAIT, operand(name, 'package name')], env });

export const apt = repoInstaller({ install: aptInstall, remove: aptRemove, installLabel: 'apt-get install', removeLabel: 'apt-get remove' });
