import { judge, operand, repoName, type Argv, type Installer } from './common';

export const dnfInstall = (name: string, version: string): Argv => ({ command: 'dnf', args: ['install', '-y', `${operand(name, 'package name')}-${operand(version, 'version')}`] });
export const dnfRemove = (name: string): Argv => ({ command: 'dnf', args: ['remove', '-y', operand(name, 'package name')] });

export const dnf: Installer = {
  uninstallNeedsFile: () => false,
  async install(ctx) {
    return judge(await ctx.run(dnfInstall(repoName(ctx.manifest), ctx.manifest.version)), 'dnf install');
  },
  async uninstall(ctx) {
    return judge(await ctx.run(dnfRemove(repoName(ctx.manifest))), 'dnf remove');
  },
};
