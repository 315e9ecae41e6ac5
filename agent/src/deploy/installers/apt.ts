import { judge, operand, repoName, type Argv, type Installer } from './common';

const env = { DEBIAN_FRONTEND: 'noninteractive' };
// apt waits for a held dpkg lock (unattended upgrades) instead of failing at once.
const LOCK_WAIT = ['-o', 'DPkg::Lock::Timeout=300'];

export const aptInstall = (name: string, version: string): Argv => ({ command: 'apt-get', args: ['install', '-y', ...LOCK_WAIT, `${operand(name, 'package name')}=${operand(version, 'version')}`], env });
export const aptRemove = (name: string): Argv => ({ command: 'apt-get', args: ['remove', '-y', ...LOCK_WAIT, operand(name, 'package name')], env });

export const apt: Installer = {
  uninstallNeedsFile: () => false,
  async install(ctx) {
    return judge(await ctx.run(aptInstall(repoName(ctx.manifest), ctx.manifest.version)), 'apt-get install');
  },
  async uninstall(ctx) {
    return judge(await ctx.run(aptRemove(repoName(ctx.manifest))), 'apt-get remove');
  },
};
