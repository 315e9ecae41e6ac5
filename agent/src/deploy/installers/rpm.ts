import { detectionName, fileOperand, judge, operand, requireFile, type Argv, type Installer, type InstallerContext } from './common';

const RPM_NAME = /^[A-Za-z0-9_+][A-Za-z0-9._+-]*$/;

/** dnf resolves dependencies from the configured repositories; plain rpm where there is no dnf. */
export const rpmInstall = (file: string, dnf: boolean): Argv => (dnf ? { command: 'dnf', args: ['install', '-y', fileOperand(file)] } : { command: 'rpm', args: ['-U', fileOperand(file)] });
export const rpmRemove = (name: string, dnf: boolean): Argv => (dnf ? { command: 'dnf', args: ['remove', '-y', operand(name, 'package name')] } : { command: 'rpm', args: ['-e', operand(name, 'package name')] });
export const rpmFieldName = (file: string): Argv => ({ command: 'rpm', args: ['-qp', '--queryformat', '%{NAME}', fileOperand(file)] });

/** The package's own name when the file is at hand (a detection rule may name it loosely). */
async function packageName(ctx: InstallerContext): Promise<string> {
  const named = detectionName(ctx.manifest, RPM_NAME);
  if (named && !ctx.file) return named;
  const r = await ctx.run(rpmFieldName(requireFile(ctx)));
  const name = r.stdout.trim();
  if (r.code !== 0 || !RPM_NAME.test(name)) throw new Error('cannot read the package name from the .rpm file');
  return name;
}

export const rpm: Installer = {
  extension: 'rpm',
  uninstallNeedsFile: (m) => detectionName(m, RPM_NAME) === null,
  async install(ctx) {
    const dnf = ctx.has('dnf');
    return judge(await ctx.run(rpmInstall(requireFile(ctx), dnf)), dnf ? 'dnf install' : 'rpm -U');
  },
  async uninstall(ctx) {
    const dnf = ctx.has('dnf');
    return judge(await ctx.run(rpmRemove(await packageName(ctx), dnf)), dnf ? 'dnf remove' : 'rpm -e');
  },
};
