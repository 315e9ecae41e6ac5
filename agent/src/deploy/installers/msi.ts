import { fileOperand, judge, requireFile, WINDOWS_REBOOT_CODES, type Argv, type Installer } from './common';

/** ERROR_UNKNOWN_PRODUCT: removing what is not installed leaves the machine as wanted. */
const NOT_INSTALLED = 1605;

export const msiInstall = (file: string, silentArgs: readonly string[]): Argv => ({ command: 'msiexec', args: ['/i', fileOperand(file), '/qn', '/norestart', ...silentArgs] });
export const msiUninstall = (file: string): Argv => ({ command: 'msiexec', args: ['/x', fileOperand(file), '/qn', '/norestart'] });

export const msi: Installer = {
  extension: 'msi',
  uninstallNeedsFile: () => true,
  async install(ctx) {
    return judge(await ctx.run(msiInstall(requireFile(ctx), ctx.manifest.silentArgs)), 'msiexec /i', WINDOWS_REBOOT_CODES);
  },
  async uninstall(ctx) {
    const r = await ctx.run(msiUninstall(requireFile(ctx)));
    return r.code === NOT_INSTALLED ? { ok: true, exitCode: r.code, rebootRequired: false } : judge(r, 'msiexec /x', WINDOWS_REBOOT_CODES);
  },
};
