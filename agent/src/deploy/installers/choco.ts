import { judge, operand, repoName, WINDOWS_REBOOT_CODES, type Argv, type Installer } from './common';

export const chocoInstall = (name: string, version: string): Argv => ({ command: 'choco', args: ['install', operand(name, 'package name'), '--version', operand(version, 'version'), '-y', '--no-progress'] });
export const chocoUninstall = (name: string): Argv => ({ command: 'choco', args: ['uninstall', operand(name, 'package name'), '-y', '--no-progress'] });

export const choco: Installer = {
  uninstallNeedsFile: () => false,
  async install(ctx) {
    return judge(await ctx.run(chocoInstall(repoName(ctx.manifest), ctx.manifest.version)), 'choco install', WINDOWS_REBOOT_CODES);
  },
  async uninstall(ctx) {
    return judge(await ctx.run(chocoUninstall(repoName(ctx.manifest))), 'choco uninstall', WINDOWS_REBOOT_CODES);
  },
};
