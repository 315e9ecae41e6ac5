import { detectionName, fileOperand, judge, operand, packageNameFromFile, requireFile, type Argv, type Installer } from './common';

/** RPM package names: what rpm and dnf accept as one name, never an option. */
export const RPM_NAME = /^[A-Za-z0-9_+][A-Za-z0-9._+-]*$/;

/** dnf resolves dependencies from the configured repositories; plain rpm where there is no dnf. */
export const rpmInstall = (file: string, dnf: boolean): Argv => (dnf ? { command: 'dnf', args: ['install', '-y', fileOperand(file)] } : { command: 'rpm', args: ['-U', fileOperand(file)] });
export const rpmRemove = (name: string, dnf: boolean): Argv => (dnf ? { command: 'dnf', args: ['remove', '-y', operand(name, 'package name')] } : { command: 'rpm', args: ['-e', operand(name, 'package name')] });
export const rpmFieldName = (file: string): Argv => ({ command: 'rpm', args: ['-qp', '--queryformat', '%{NAME}', fileOperand(file)] });

export const rpm: Installer = {
  extension: 'rpm',
  uninstallNeedsFile: (m) => detectionName(m, RPM_NAME) === null,
  async install(ctx) {
    const dnf = ctx.has('dnf');
    return judge(await ctx.run(rpmInstall(requireFile(ctx), dnf)), dnf ? 'dnf install' : 'rpm -U');
  },
  async uninstall(ctx) {
    const dnf = ctx.has('dnf');
    return judge(await ctx.run(rpmRemove(await packageNameFromFile(ctx, RPM_NAME, rpmFieldName, 'rpm'), dnf)), dnf ? 'dnf remove' : 'rpm -e');
  },
};
