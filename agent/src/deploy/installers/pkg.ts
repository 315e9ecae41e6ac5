import { DeployError } from '../failure';
import { fileOperand, judge, requireFile, type Argv, type Installer } from './common';

export const pkgInstall = (file: string): Argv => ({ command: 'installer', args: ['-pkg', fileOperand(file), '-target', '/'] });

export const pkg: Installer = {
  extension: 'pkg',
  uninstallNeedsFile: () => false,
  async install(ctx) {
    return judge(await ctx.run(pkgInstall(requireFile(ctx))), 'installer');
  },
  async uninstall() {
    // `pkgutil --forget` drops the receipt and leaves every file in place: that is no removal.
    throw new DeployError('uninstall_failed', 'macOS installer packages have no uninstaller; remove the software with a script');
  },
};
