/*
 * Operating-system support lifecycles, kept current by hand: when a vendor publishes a new release
 * or moves a date, edit the row and its `checked` date. A date nobody has confirmed stays out —
 * an unknown cycle reports 'unknown' rather than a guessed end.
 *
 * `supportEndsAt` ends the standard phase (Microsoft mainstream support or a client release's
 * servicing, Ubuntu standard support, Debian security-team support, RHEL maintenance support,
 * a rebuild's security support). `extendedEndsAt` ends the phase beyond it that still ships
 * security fixes, usually for a fee or with a narrower scope (Microsoft extended support and
 * ESU, Ubuntu Pro ESM, Debian LTS, RHEL ELS); null where the vendor offers none.
 * Dates are UTC calendar days.
 */

export type OsProduct = 'windows' | 'windows-server' | 'macos' | 'ubuntu' | 'debian' | 'rhel' | 'rocky' | 'alma' | 'centos' | 'centos-stream' | 'fedora';

/** Windows client servicing differs by edition: Home/Pro, Enterprise/Education, and long-term servicing. */
export type WindowsEdition = 'consumer' | 'enterprise' | 'ltsc';

export type EolRow = {
  product: OsProduct;
  /** Human label of the release, e.g. "11 23H2", "22.04", "Server 2019". */
  cycle: string;
  /** What the lookup derives from the reported OS: a Windows build number, else the major (or major.minor) version. */
  version: string;
  /** Windows client only: the editions this row covers; absent when the dates hold for every edition. */
  edition?: WindowsEdition;
  releasedAt: string;
  /** null only for macOS releases whose end is not yet determined (see below). */
  supportEndsAt: string | null;
  extendedEndsAt: string | null;
  source: string;
  checked: string;
};

const CHECKED = '2026-12-01';
const WIN10 = 'https://learn.microsoft.com/windows/release-health/release-information';
const WIN11 = 'https://learn.microsoft.com/windows/release-health/windows11-release-information';
const WINSRV = 'https://learn.microsoft.com/windows/release-health/windows-server-release-info';
const APPLE = 'https://support.apple.com/en-us/100100';
const UBUNTU = 'https://ubuntu.com/about/release-cycle';
const DEBIAN = 'https://wiki.debian.org/DebianReleases';
const RHEL = 'https://access.redhat.com/support/policy/updates/errata';
const ROCKY = 'https://wiki.rockylinux.org/rocky/version/';
const ALMA = 'https://wiki.almalinux.org/release-notes/';
const CENTOS = 'https://www.centos.org/centos-linux-eol/';
const STREAM = 'https://www.centos.org/centos-stream/';
const FEDORA = 'https://docs.fedoraproject.org/en-US/releases/eol/';

type Dates = [releasedAt: string, supportEndsAt: string | null, extendedEndsAt: string | null];
const row = (product: OsProduct, cycle: string, version: string, [releasedAt, supportEndsAt, extendedEndsAt]: Dates, source: string, edition?: WindowsEdition): EolRow => ({
  product,
  cycle,
  version,
  ...(edition ? { edition } : {}),
  releasedAt,
  supportEndsAt,
  extendedEndsAt,
  source,
  checked: CHECKED,
});

/** Windows 10 22H2's extended date is the paid Extended Security Updates programme for organisations, which covers Pro as well. */
const windows: EolRow[] = [
  row('windows', '10 21H2', '19044', ['2021-11-16', '2023-06-13', null], WIN10, 'consumer'),
  row('windows', '10 21H2', '19044', ['2021-11-16', '2024-06-11', null], WIN10, 'enterprise'),
  row('windows', '10 Enterprise LTSC 2021', '19044', ['2021-11-16', '2027-01-12', null], WIN10, 'ltsc'),
  row('windows', '10 22H2', '19045', ['2022-10-18', '2025-10-14', '2028-10-10'], WIN10),
  row('windows', '10 Enterprise LTSC 2019', '17763', ['2018-11-13', '2024-01-09', '2029-01-09'], WIN10, 'ltsc'),
  row('windows', '10 Enterprise LTSB 2016', '14393', ['2016-08-02', '2021-10-12', '2026-10-13'], WIN10, 'ltsc'),
  row('windows', '11 21H2', '22000', ['2021-10-04', '2023-10-10', null], WIN11, 'consumer'),
  row('windows', '11 21H2', '22000', ['2021-10-04', '2024-10-08', null], WIN11, 'enterprise'),
  row('windows', '11 22H2', '22621', ['2022-09-20', '2024-10-08', null], WIN11, 'consumer'),
  row('windows', '11 22H2', '22621', ['2022-09-20', '2025-10-14', null], WIN11, 'enterprise'),
  row('windows', '11 23H2', '22631', ['2023-10-31', '2025-11-11', null], WIN11, 'consumer'),
  row('windows', '11 23H2', '22631', ['2023-10-31', '2026-11-10', null], WIN11, 'enterprise'),
  row('windows', '11 24H2', '26100', ['2024-10-01', '2026-10-13', null], WIN11, 'consumer'),
  row('windows', '11 24H2', '26100', ['2024-10-01', '2027-10-12', null], WIN11, 'enterprise'),
  row('windows', '11 Enterprise LTSC 2024', '26100', ['2024-10-01', '2029-10-09', null], WIN11, 'ltsc'),
  // The Enterprise/Education end of 25H2 is left out until confirmed.
  row('windows', '11 25H2', '26200', ['2025-09-30', '2027-10-12', null], WIN11, 'consumer'),
];

const windowsServer: EolRow[] = [
  row('windows-server', 'Server 2012', '9200', ['2012-10-30', '2018-10-09', '2023-10-10'], 'https://learn.microsoft.com/lifecycle/products/windows-server-2012'),
  row('windows-server', 'Server 2012 R2', '9600', ['2013-11-25', '2018-10-09', '2023-10-10'], 'https://learn.microsoft.com/lifecycle/products/windows-server-2012-r2'),
  row('windows-server', 'Server 2016', '14393', ['2016-10-15', '2022-01-11', '2027-01-12'], WINSRV),
  row('windows-server', 'Server 2019', '17763', ['2018-11-13', '2024-01-09', '2029-01-09'], WINSRV),
  row('windows-server', 'Server 2022', '20348', ['2021-08-18', '2026-10-13', '2031-10-14'], WINSRV),
  row('windows-server', 'Server 2025', '26100', ['2024-11-01', '2029-10-09', '2034-10-10'], WINSRV),
];

/*
 * Apple publishes no lifecycle dates. Convention: a macOS major version is supported while it is
 * one of the three newest, so it ends the day the third major version after it ships; a release
 * whose successor-but-two has not shipped has no end yet (null).
 */
const macos: EolRow[] = [
  row('macos', '11 Big Sur', '11', ['2020-11-12', '2023-09-26', null], APPLE),
  row('macos', '12 Monterey', '12', ['2021-10-25', '2024-09-16', null], APPLE),
  row('macos', '13 Ventura', '13', ['2022-10-24', '2025-09-15', null], APPLE),
  row('macos', '14 Sonoma', '14', ['2023-09-26', null, null], APPLE),
  row('macos', '15 Sequoia', '15', ['2024-09-16', null, null], APPLE),
  row('macos', '26 Tahoe', '26', ['2025-09-15', null, null], APPLE),
];

const ubuntu: EolRow[] = [
  row('ubuntu', '18.04 LTS', '18.04', ['2018-04-26', '2023-05-31', '2028-04-01'], UBUNTU),
  row('ubuntu', '20.04 LTS', '20.04', ['2020-04-23', '2025-05-31', '2030-04-02'], UBUNTU),
  row('ubuntu', '22.04 LTS', '22.04', ['2022-04-21', '2027-04-01', '2032-04-09'], UBUNTU),
  row('ubuntu', '22.10', '22.10', ['2022-10-20', '2023-07-20', null], UBUNTU),
  row('ubuntu', '23.04', '23.04', ['2023-04-20', '2024-01-20', null], UBUNTU),
  row('ubuntu', '23.10', '23.10', ['2023-10-12', '2024-07-12', null], UBUNTU),
  row('ubuntu', '24.04 LTS', '24.04', ['2024-04-25', '2029-05-31', '2036-05-31'], UBUNTU),
  row('ubuntu', '24.10', '24.10', ['2024-10-10', '2025-07-10', null], UBUNTU),
  row('ubuntu', '25.04', '25.04', ['2025-04-17', '2026-01-17', null], UBUNTU),
  row('ubuntu', '25.10', '25.10', ['2025-10-09', '2026-07-01', null], UBUNTU),
  row('ubuntu', '26.04 LTS', '26.04', ['2026-04-23', '2031-04-30', '2036-04-30'], UBUNTU),
];

const debian: EolRow[] = [
  row('debian', '9 stretch', '9', ['2017-06-17', '2020-07-18', '2022-07-01'], DEBIAN),
  row('debian', '10 buster', '10', ['2019-07-06', '2022-09-10', '2024-06-30'], DEBIAN),
  row('debian', '11 bullseye', '11', ['2021-08-14', '2024-08-14', '2026-08-31'], DEBIAN),
  row('debian', '12 bookworm', '12', ['2023-06-10', '2026-06-10', '2028-06-10'], DEBIAN),
];

const enterpriseLinux: EolRow[] = [
  row('rhel', '7', '7', ['2014-06-10', '2024-06-30', '2028-06-30'], RHEL),
  row('rhel', '8', '8', ['2019-05-07', '2029-05-31', '2032-05-31'], RHEL),
  row('rhel', '9', '9', ['2022-05-18', '2032-05-31', '2035-05-31'], RHEL),
  row('rocky', '8', '8', ['2021-05-01', '2029-05-31', null], ROCKY),
  row('rocky', '9', '9', ['2022-07-14', '2032-05-31', null], ROCKY),
  row('alma', '8', '8', ['2021-03-30', '2029-03-01', null], ALMA),
  row('alma', '9', '9', ['2022-05-26', '2032-05-31', null], ALMA),
  row('alma', '10', '10', ['2025-05-27', '2035-05-31', null], ALMA),
  row('centos', '7', '7', ['2014-07-07', '2024-06-30', null], CENTOS),
  row('centos', '8', '8', ['2019-09-24', '2021-12-31', null], CENTOS),
  row('centos-stream', 'Stream 8', '8', ['2019-09-24', '2024-05-31', null], STREAM),
  row('centos-stream', 'Stream 9', '9', ['2021-09-15', '2027-05-31', null], STREAM),
];

const fedora: EolRow[] = [
  row('fedora', '38', '38', ['2023-04-18', '2024-05-21', null], FEDORA),
  row('fedora', '39', '39', ['2023-11-07', '2024-11-26', null], FEDORA),
  row('fedora', '40', '40', ['2024-04-23', '2025-05-13', null], FEDORA),
  row('fedora', '41', '41', ['2024-10-29', '2025-12-15', null], FEDORA),
  row('fedora', '42', '42', ['2025-04-15', '2026-05-13', null], FEDORA),
  row('fedora', '43', '43', ['2025-10-28', '2026-12-09', null], FEDORA),
];

export const OS_EOL: readonly EolRow[] = [...windows, ...windowsServer, ...macos, ...ubuntu, ...debian, ...enterpriseLinux, ...fedora];
