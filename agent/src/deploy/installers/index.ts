import type { InstallerType } from '../../../../protocol/packages';
import { apt } from './apt';
import { brew } from './brew';
import { choco } from './choco';
import type { Installer } from './common';
import { deb } from './deb';
import { dnf } from './dnf';
import { exe } from './exe';
import { msi } from './msi';
import { pkg } from './pkg';
import { rpm } from './rpm';
import { winget } from './winget';

export const INSTALLERS: Record<InstallerType, Installer> = { deb, rpm, pkg, msi, exe, apt, dnf, brew, winget, choco };
