import type { CatalogEntry } from './entry';
import { windowsMaintenance } from './windows/maintenance';

/*
 * Bodies are String.raw templates so backslashes reach the script as written; they therefore
 * never contain a dollar-brace pair or a backtick. Exit codes across the catalog: 0 done or
 * healthy, 1 the check found a problem or the action failed, 2 invalid parameter, 3 a tool
 * or feature the script needs is missing on this machine.
 */
export const maintenance: CatalogEntry[] = [
  {
    slug: 'clean-old-temp-files',
    name: 'Clean old temporary files',
    description:
      'Removes files older than N days under a folder (the system temp folder when none is given). Dry run by default: lists what it would remove and how much space that frees. Refuses a file system root. Exit 2 on invalid input.',
    category: 'maintenance',
    platforms: ['linux', 'macos', 'windows'],
    tags: ['disk', 'cleanup'],
    version: 1,
    interpreter: 'python',
    params: [
      { name: 'TARGET_DIR', label: 'Folder', type: 'string', maxLength: 1024, description: 'Empty: the system temp folder.' },
      { name: 'DAYS', label: 'Older than (days)', type: 'number', integer: true, min: 1, max: 3650, default: 7 },
      { name: 'DRY_RUN', label: 'Dry run (only list)', type: 'boolean', default: true },
    ],
    defaultTimeoutSeconds: 600,
    body: String.raw`import os, sys, tempfile, time

def fail(message):
    print("error: " + message, file=sys.stderr)
    sys.exit(2)

target = os.path.abspath(os.environ.get("PARAM_TARGET_DIR") or tempfile.gettempdir())
try:
    days = int(os.environ.get("PARAM_DAYS", "7"))
except ValueError:
    fail("DAYS must be a whole number")
if days < 1:
    fail("DAYS must be at least 1")
dry_run = os.environ.get("PARAM_DRY_RUN", "true") != "false"
if not os.path.isdir(target):
    fail("not a folder: " + target)
if os.path.dirname(target) == target:
    fail("refusing to clean a file system root: " + target)

cutoff = time.time() - days * 86400
count = size = errors = 0
for root, dirs, files in os.walk(target):
    for name in files:
        path = os.path.join(root, name)
        try:
            st = os.lstat(path)
            if st.st_mtime >= cutoff:
                continue
            if dry_run:
                print("would remove " + path)
            else:
                os.remove(path)
                print("removed " + path)
            count += 1
            size += st.st_size
        except OSError as e:
            errors += 1
            print("skipped %s: %s" % (path, e.strerror), file=sys.stderr)

verb = "would free" if dry_run else "freed"
mode = "dry run, nothing removed" if dry_run else "done"
print("%d file(s) older than %d day(s) in %s: %s %.1f MiB (%s; %d skipped)" % (count, days, target, verb, size / 1048576, mode, errors))
`,
  },
  {
    slug: 'linux-journal-vacuum',
    name: 'Shrink the systemd journal',
    description:
      'Shows how much disk the systemd journal uses and removes archived entries older than N days and beyond a size cap. Dry run by default. Exit 3 when the machine has no systemd journal, 2 on invalid input.',
    category: 'maintenance',
    platforms: ['linux'],
    tags: ['disk', 'logs', 'cleanup'],
    version: 1,
    interpreter: 'bash',
    params: [
      { name: 'KEEP_DAYS', label: 'Keep (days)', type: 'number', integer: true, min: 1, max: 3650, default: 30 },
      { name: 'MAX_SIZE_MB', label: 'Size cap (MiB, 0 = none)', type: 'number', integer: true, min: 0, max: 1048576, default: 0 },
      { name: 'DRY_RUN', label: 'Dry run (only report)', type: 'boolean', default: true },
    ],
    defaultTimeoutSeconds: 300,
    body: String.raw`set -e
fail() { echo "error: $*" >&2; exit 2; }
days=$PARAM_KEEP_DAYS; size=$PARAM_MAX_SIZE_MB; dry=$PARAM_DRY_RUN
[ -n "$days" ] || days=30
[ -n "$size" ] || size=0
case $days in *[!0-9]*|0) fail "KEEP_DAYS must be a whole number of at least 1";; esac
case $size in *[!0-9]*) fail "MAX_SIZE_MB must be a whole number";; esac
command -v journalctl >/dev/null 2>&1 || { echo "journalctl not found: this machine has no systemd journal" >&2; exit 3; }
set -- --vacuum-time="$days"d
[ "$size" -gt 0 ] && set -- "$@" --vacuum-size="$size"M
journalctl --disk-usage
if [ "$dry" = false ]; then
  journalctl "$@"
  journalctl --disk-usage
else
  echo "dry run: would run journalctl $*"
fi
`,
  },
  {
    slug: 'linux-package-cache-clean',
    name: 'Clean the package cache',
    description:
      'Frees the downloaded package cache of apt, dnf or yum and, when asked, removes packages nothing depends on any more. Dry run by default (uses the package manager\'s own simulation). Exit 3 when none of these package managers is present.',
    category: 'maintenance',
    platforms: ['linux'],
    tags: ['disk', 'packages', 'cleanup'],
    version: 1,
    interpreter: 'bash',
    params: [
      { name: 'AUTOREMOVE', label: 'Also remove unused packages', type: 'boolean', default: false },
      { name: 'DRY_RUN', label: 'Dry run (only report)', type: 'boolean', default: true },
    ],
    defaultTimeoutSeconds: 900,
    body: String.raw`set -e
auto=$PARAM_AUTOREMOVE; dry=$PARAM_DRY_RUN
if command -v apt-get >/dev/null 2>&1; then
  echo "== apt cache: $(du -sh /var/cache/apt/archives 2>/dev/null | cut -f1)"
  if [ "$dry" = false ]; then
    apt-get clean
    if [ "$auto" = true ]; then DEBIAN_FRONTEND=noninteractive apt-get -y autoremove; fi
    echo "== apt cache now: $(du -sh /var/cache/apt/archives 2>/dev/null | cut -f1)"
  else
    echo "dry run: would run apt-get clean"
    if [ "$auto" = true ]; then
      echo "dry run: apt-get autoremove would remove:"
      apt-get -s autoremove | awk '/^Remv /{print "  " $2; n++} END {if (!n) print "  nothing"}'
    fi
  fi
elif command -v dnf >/dev/null 2>&1 || command -v yum >/dev/null 2>&1; then
  pm=$(command -v dnf || command -v yum)
  echo "== $pm cache: $(du -sh /var/cache/dnf /var/cache/yum 2>/dev/null | awk '{print $1 " " $2}' | tr '\n' ' ')"
  if [ "$dry" = false ]; then
    "$pm" -y clean packages
    if [ "$auto" = true ]; then "$pm" -y autoremove; fi
  else
    echo "dry run: would run $pm clean packages"
    if [ "$auto" = true ]; then "$pm" autoremove --assumeno || true; fi
  fi
else
  echo "no supported package manager (apt-get, dnf, yum) found" >&2
  exit 3
fi
`,
  },
  {
    slug: 'linux-restart-service',
    name: 'Restart a systemd service',
    description:
      'Restarts a systemd service by unit name and checks it came back active. Exit 1 when the unit does not exist or is not active after the restart, 2 on an invalid name, 3 when systemd is not running here.',
    category: 'maintenance',
    platforms: ['linux'],
    tags: ['services'],
    version: 1,
    interpreter: 'bash',
    params: [
      { name: 'SERVICE', label: 'Service (unit name)', type: 'string', required: true, maxLength: 100, pattern: '[A-Za-z0-9@._:-]+', description: 'For example nginx or ssh.service.' },
      { name: 'DRY_RUN', label: 'Dry run (only show status)', type: 'boolean', default: false },
    ],
    defaultTimeoutSeconds: 120,
    body: String.raw`set -e
svc=$PARAM_SERVICE; dry=$PARAM_DRY_RUN
case $svc in ''|-*|*[!A-Za-z0-9@._:-]*) echo "error: SERVICE must be a unit name (letters, digits, @ . _ : -)" >&2; exit 2;; esac
command -v systemctl >/dev/null 2>&1 || { echo "systemctl not found: this machine does not use systemd" >&2; exit 3; }
[ -d /run/systemd/system ] || { echo "systemd is not running on this machine" >&2; exit 3; }
systemctl cat -- "$svc" >/dev/null 2>&1 || { echo "no such service: $svc" >&2; exit 1; }
if [ "$dry" = true ]; then
  echo "dry run: would restart $svc"
  systemctl status --no-pager -- "$svc" || true
  exit 0
fi
systemctl restart -- "$svc"
sleep 2
if systemctl is-active --quiet -- "$svc"; then
  echo "$svc restarted and active"
else
  systemctl status --no-pager -- "$svc" || true
  echo "$svc is not active after the restart" >&2
  exit 1
fi
`,
  },
  ...windowsMaintenance,
];
