import type { ProgramResult } from '../../run-program';
import { detectionName, fileOperand, judge, operand, packageNameFromFile, requireFile, type Argv, type Installer, type InstallerContext } from './common';

/** Debian package names (policy 5.6.1): lower case, digits, + - . ; two characters at least. */
export const DEB_NAME = /^[a-z0-9][a-z0-9+.-]+$/;

export const debInstall = (file: string): Argv => ({ command: 'dpkg', args: ['-i', fileOperand(file)], env: { DEBIAN_FRONTEND: 'noninteractive' } });
/** Completes an install dpkg left unconfigured for missing dependencies. */
export const debFixDependencies: Argv = { command: 'apt-get', args: ['-f', 'install', '-y'], env: { DEBIAN_FRONTEND: 'noninteractive' } };
export const debRemove = (name: string): Argv => ({ command: 'dpkg', args: ['-r', operand(name, 'package name')], env: { DEBIAN_FRONTEND: 'noninteractive' } });
export const debFieldPackage = (file: string): Argv => ({ command: 'dpkg-deb', args: ['-f', fileOperand(file), 'Package'] });

const said = (r: ProgramResult) => `${r.stdout}\n${r.stderr}`;
/** Another dpkg or apt (unattended upgrades, a person) holds the database. */
const locked = (r: ProgramResult) => r.code !== 0 && /(frontend lock|status database area is locked|database is locked)/i.test(said(r));
const LOCK_WAIT_MS = 5_000;
const LOCK_TRIES = 24;

/** dpkg refuses at once while another package manager runs: wait for it instead of failing. */
async function dpkg(ctx: InstallerContext, argv: Argv): Promise<ProgramResult> {
  let r = await ctx.run(argv);
  for (let i = 1; i < LOCK_TRIES && locked(r); i++) {
    await new Promise((resolve) => setTimeout(resolve, LOCK_WAIT_MS));
    r = await ctx.run(argv);
  }
  return r;
}

export const deb: Installer = {
  extension: 'deb',
  uninstallNeedsFile: (m) => detectionName(m, DEB_NAME) === null,
  async install(ctx) {
    const r = await dpkg(ctx, debInstall(requireFile(ctx)));
    if (r.code !== 0 && /dependency problems/i.test(said(r)) && ctx.has('apt-get')) {
      // dpkg unpacked it but could not configure it: apt fetches what is missing (or removes it).
      return judge(await ctx.run(debFixDependencies), 'apt-get -f install');
    }
    return judge(r, 'dpkg -i');
  },
  async uninstall(ctx) {
    return judge(await dpkg(ctx, debRemove(await packageNameFromFile(ctx, DEB_NAME, debFieldPackage, 'deb'))), 'dpkg -r');
  },
};
