import { DeployError } from '../failure';
import { fileOperand, judge, requireFile, WINDOWS_REBOOT_CODES, type Argv, type Installer } from './common';

/** The installer itself is the program; its silent switches come from the signed manifest. */
export const exeInstall = (file: string, silentArgs: readonly string[]): Argv => ({ command: fileOperand(file), args: [...silentArgs] });
export const exeUninstall = (file: string, uninstallArgs: readonly string[]): Argv => {
  if (uninstallArgs.length === 0) throw new DeployError('uninstall_failed', 'the package defines no uninstall arguments');
  return { command: fileOperand(file), args: [...uninstallArgs] };
};

export const exe: Installer = {
  extension: 'exe',
  uninstallNeedsFile: (m) => m.uninstallArgs.length > 0,
  async install(ctx) {
    return judge(await ctx.run(exeInstall(requireFile(ctx), ctx.manifest.silentArgs)), 'the installer', WINDOWS_REBOOT_CODES);
  },
  async uninstall(ctx) {
    const argv = exeUninstall(ctx.file ?? '', ctx.manifest.uninstallArgs);
    return judge(await ctx.run(argv), 'the uninstaller', WINDOWS_REBOOT_CODES);
  },
};
