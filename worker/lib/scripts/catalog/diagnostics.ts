import type { CatalogEntry } from './entry';
import { windowsDiagnostics } from './windows/diagnostics';

// Bodies: see the note in maintenance.ts (String.raw, no dollar-brace, shared exit codes).
export const diagnostics: CatalogEntry[] = [
  {
    slug: 'linux-top-processes',
    name: 'Top processes by CPU and memory',
    description: 'Lists the processes using the most CPU and the most memory right now: the first look at a slow machine. Exit 2 on invalid input.',
    category: 'diagnostics',
    platforms: ['linux'],
    tags: ['performance', 'memory'],
    version: 1,
    interpreter: 'bash',
    params: [{ name: 'COUNT', label: 'How many', type: 'number', integer: true, min: 1, max: 100, default: 10 }],
    defaultTimeoutSeconds: 60,
    body: String.raw`set -e
n=$PARAM_COUNT
[ -n "$n" ] || n=10
case $n in *[!0-9]*|0) echo "error: COUNT must be a whole number of at least 1" >&2; exit 2;; esac
echo "== by CPU"
ps -eo pid,user,pcpu,pmem,rss,comm --sort=-pcpu | head -n "$((n + 1))"
echo "== by memory"
ps -eo pid,user,pcpu,pmem,rss,comm --sort=-rss | head -n "$((n + 1))"
`,
  },
  {
    slug: 'disk-usage-largest-dirs',
    name: 'Largest folders under a path',
    description: 'Shows the folders directly under a path that take the most space (this file system only), biggest first. Exit 2 when the path is not a folder.',
    category: 'diagnostics',
    platforms: ['linux', 'macos'],
    tags: ['disk'],
    version: 1,
    interpreter: 'bash',
    params: [
      { name: 'TARGET_DIR', label: 'Path', type: 'string', default: '/', maxLength: 1024 },
      { name: 'COUNT', label: 'How many', type: 'number', integer: true, min: 1, max: 200, default: 15 },
    ],
    defaultTimeoutSeconds: 600,
    body: String.raw`set -e
dir=$PARAM_TARGET_DIR; n=$PARAM_COUNT
[ -n "$dir" ] || dir=/
[ -n "$n" ] || n=15
case $n in *[!0-9]*|0) echo "error: COUNT must be a whole number of at least 1" >&2; exit 2;; esac
[ -d "$dir" ] || { echo "error: not a folder: $dir" >&2; exit 2; }
echo "Largest folders under $dir (MiB, this file system only)"
du -xk -d 1 "$dir" 2>/dev/null | sort -rn | head -n "$((n + 1))" | awk -F '\t' '{ printf "%10.1f  %s\n", $1 / 1024, $2 }'
`,
  },
  {
    slug: 'free-space-check',
    name: 'Free space check',
    description:
      'Checks the free space of the file system holding a path against a minimum percentage. Exit 1 when free space is below the threshold (usable as a monitoring check), 2 on invalid input.',
    category: 'diagnostics',
    platforms: ['linux', 'macos'],
    tags: ['disk', 'monitoring'],
    version: 1,
    interpreter: 'bash',
    params: [
      { name: 'TARGET_DIR', label: 'Path', type: 'string', default: '/', maxLength: 1024 },
      { name: 'MIN_FREE_PERCENT', label: 'Minimum free (%)', type: 'number', integer: true, min: 1, max: 100, default: 10 },
    ],
    defaultTimeoutSeconds: 60,
    body: String.raw`set -e
dir=$PARAM_TARGET_DIR; min=$PARAM_MIN_FREE_PERCENT
[ -n "$dir" ] || dir=/
[ -n "$min" ] || min=10
case $min in *[!0-9]*|0) echo "error: MIN_FREE_PERCENT must be a whole number from 1 to 100" >&2; exit 2;; esac
[ "$min" -le 100 ] || { echo "error: MIN_FREE_PERCENT must be a whole number from 1 to 100" >&2; exit 2; }
[ -e "$dir" ] || { echo "error: no such path: $dir" >&2; exit 2; }
set -- $(df -Pk "$dir" | awk 'NR == 2 { print $2, $4, $NF }')
size=$1; avail=$2; mount=$3
[ "$size" -gt 0 ] || { echo "error: $mount reports no size" >&2; exit 2; }
pct=$((avail * 100 / size))
awk -v a="$avail" -v s="$size" -v p="$pct" -v m="$mount" 'BEGIN { printf "%s: %d%% free (%.1f GiB of %.1f GiB)\n", m, p, a / 1048576, s / 1048576 }'
if [ "$pct" -lt "$min" ]; then
  echo "free space on $mount is below the threshold of $min%" >&2
  exit 1
fi
echo "OK: at least $min% free"
`,
  },
  {
    slug: 'uptime-last-boot',
    name: 'Uptime and last boot',
    description:
      'Shows when the machine last booted and how long it has been up. With a maximum, exit 1 when it has been up longer (machines that never restart miss their updates). Exit 2 on invalid input.',
    category: 'diagnostics',
    platforms: ['linux', 'macos'],
    tags: ['monitoring', 'reboot'],
    version: 1,
    interpreter: 'bash',
    params: [{ name: 'MAX_DAYS', label: 'Maximum uptime (days, 0 = none)', type: 'number', integer: true, min: 0, max: 3650, default: 0 }],
    defaultTimeoutSeconds: 30,
    body: String.raw`set -e
max=$PARAM_MAX_DAYS
[ -n "$max" ] || max=0
case $max in *[!0-9]*) echo "error: MAX_DAYS must be a whole number" >&2; exit 2;; esac
now=$(date +%s)
if [ -r /proc/uptime ]; then
  up=$(awk '{ print int($1) }' /proc/uptime)
else
  boot=$(sysctl -n kern.boottime | sed -n 's/.*sec = \([0-9]*\).*/\1/p')
  up=$((now - boot))
fi
booted=$((now - up))
echo "Last boot: $(date -d "@$booted" 2>/dev/null || date -r "$booted")"
printf 'Up %d days, %d hours, %d minutes\n' $((up / 86400)) $((up % 86400 / 3600)) $((up % 3600 / 60))
if [ "$max" -gt 0 ] && [ $((up / 86400)) -ge "$max" ]; then
  echo "up for more than $max days: schedule a restart" >&2
  exit 1
fi
`,
  },
  {
    slug: 'linux-smart-summary',
    name: 'Disk health (SMART) summary',
    description:
      'For every disk smartctl finds (or one given device): model, serial, overall health and the attributes that predict failure. Exit 1 when a disk reports failing health, 2 on an invalid device, 3 when smartctl (smartmontools) is not installed.',
    category: 'diagnostics',
    platforms: ['linux'],
    tags: ['disk', 'hardware', 'monitoring'],
    version: 1,
    interpreter: 'bash',
    params: [{ name: 'DEVICE', label: 'Device (empty = all)', type: 'string', maxLength: 100, pattern: '/dev/[A-Za-z0-9/_-]+', description: 'For example /dev/sda or /dev/nvme0.' }],
    defaultTimeoutSeconds: 120,
    body: String.raw`set -e
dev=$PARAM_DEVICE
case $dev in ''|/dev/*) ;; *) echo "error: DEVICE must be a /dev path" >&2; exit 2;; esac
case $dev in *[!A-Za-z0-9/_-]*) echo "error: DEVICE must be a /dev path" >&2; exit 2;; esac
command -v smartctl >/dev/null 2>&1 || { echo "smartctl is not installed (package smartmontools)" >&2; exit 3; }
if [ -n "$dev" ]; then list="$dev"; else list=$(smartctl --scan | sed 's/ *#.*//'); fi
[ -n "$list" ] || { echo "no disks found by smartctl --scan"; exit 0; }
bad=0
while read -r disk opts; do
  [ -n "$disk" ] || continue
  echo "== $disk"
  out=$(smartctl -i -H -A $opts "$disk" 2>&1) || true
  printf '%s\n' "$out" | grep -E '^(Device Model|Model Number|Serial Number|User Capacity|Total NVM Capacity|SMART overall-health|SMART Health Status|Percentage Used|Media and Data Integrity|Power On Hours)|Reallocated_Sector|Current_Pending|Offline_Uncorrectable|Power_On_Hours|Temperature_Celsius' || printf '%s\n' "$out" | tail -n 3
  if printf '%s\n' "$out" | grep -Eq 'overall-health.*FAILED|Health Status: *[^O]'; then bad=1; echo "  !! health check failed"; fi
done <<EOF
$list
EOF
exit $bad
`,
  },
  {
    slug: 'linux-failed-units',
    name: 'Failed systemd units',
    description: 'Lists systemd units in the failed state with their last log lines. Exit 1 when any unit failed, 3 when systemd is not running here.',
    category: 'diagnostics',
    platforms: ['linux'],
    tags: ['services', 'monitoring'],
    version: 1,
    interpreter: 'bash',
    params: [{ name: 'LOG_LINES', label: 'Log lines per unit', type: 'number', integer: true, min: 0, max: 100, default: 5 }],
    defaultTimeoutSeconds: 60,
    body: String.raw`set -e
lines=$PARAM_LOG_LINES
[ -n "$lines" ] || lines=5
case $lines in *[!0-9]*) echo "error: LOG_LINES must be a whole number" >&2; exit 2;; esac
command -v systemctl >/dev/null 2>&1 || { echo "systemctl not found: this machine does not use systemd" >&2; exit 3; }
[ -d /run/systemd/system ] || { echo "systemd is not running on this machine" >&2; exit 3; }
failed=$(systemctl list-units --state=failed --no-legend --plain | awk '{ print $1 }')
if [ -z "$failed" ]; then echo "no failed units"; exit 0; fi
for unit in $failed; do
  echo "== $unit"
  [ "$lines" -gt 0 ] && journalctl -u "$unit" -n "$lines" --no-pager -q 2>/dev/null || true
done
exit 1
`,
  },
  {
    slug: 'linux-recent-errors',
    name: 'Recent system errors',
    description:
      'Shows log entries of priority error or worse from the last N hours (systemd journal; without one, the error lines of /var/log/syslog or /var/log/messages). Exit 3 when no log source exists, 2 on invalid input.',
    category: 'diagnostics',
    platforms: ['linux'],
    tags: ['logs'],
    version: 1,
    interpreter: 'bash',
    params: [
      { name: 'HOURS', label: 'Last hours', type: 'number', integer: true, min: 1, max: 720, default: 24 },
      { name: 'MAX_LINES', label: 'At most lines', type: 'number', integer: true, min: 1, max: 5000, default: 200 },
    ],
    defaultTimeoutSeconds: 120,
    body: String.raw`set -e
h=$PARAM_HOURS; max=$PARAM_MAX_LINES
[ -n "$h" ] || h=24
[ -n "$max" ] || max=200
case $h$max in *[!0-9]*) echo "error: HOURS and MAX_LINES must be whole numbers" >&2; exit 2;; esac
echo "Errors in the last $h hours"
if command -v journalctl >/dev/null 2>&1; then
  out=$(journalctl -p err --since "-$h"h -q --no-pager 2>/dev/null | tail -n "$max") || true
  if [ -n "$out" ]; then printf '%s\n' "$out"; else echo "none in the journal"; fi
  exit 0
fi
for f in /var/log/syslog /var/log/messages; do
  if [ -r "$f" ]; then
    echo "(no journal: error lines of $f, not filtered by time)"
    grep -iE 'error|crit|alert|emerg|fail' "$f" | tail -n "$max" || echo "none"
    exit 0
  fi
done
echo "no log source found (journalctl, /var/log/syslog, /var/log/messages)" >&2
exit 3
`,
  },
  {
    slug: 'find-large-files',
    name: 'Find large files',
    description: 'Lists the biggest files above a size under a path (the system drive when none is given), staying on one file system. Exit 2 on invalid input.',
    category: 'diagnostics',
    platforms: ['linux', 'macos', 'windows'],
    tags: ['disk'],
    version: 1,
    interpreter: 'python',
    params: [
      { name: 'TARGET_DIR', label: 'Path', type: 'string', maxLength: 1024, description: 'Empty: the root of the system drive.' },
      { name: 'MIN_SIZE_MB', label: 'At least (MiB)', type: 'number', min: 0, max: 1048576, default: 100 },
      { name: 'COUNT', label: 'How many', type: 'number', integer: true, min: 1, max: 500, default: 20 },
    ],
    defaultTimeoutSeconds: 900,
    body: String.raw`import heapq, os, sys

def fail(message):
    print("error: " + message, file=sys.stderr)
    sys.exit(2)

root = os.path.abspath(os.environ.get("PARAM_TARGET_DIR") or os.sep)
try:
    min_bytes = float(os.environ.get("PARAM_MIN_SIZE_MB", "100")) * 1048576
    count = int(os.environ.get("PARAM_COUNT", "20"))
except ValueError:
    fail("MIN_SIZE_MB and COUNT must be numbers")
if count < 1 or min_bytes < 0:
    fail("COUNT must be at least 1 and MIN_SIZE_MB not negative")
if not os.path.isdir(root):
    fail("not a folder: " + root)

device = os.stat(root).st_dev
found = []
stack = [root]
while stack:
    folder = stack.pop()
    try:
        entries = list(os.scandir(folder))
    except OSError:
        continue
    for e in entries:
        try:
            if e.is_symlink():
                continue
            st = e.stat(follow_symlinks=False)
            if e.is_dir(follow_symlinks=False):
                # Windows leaves st_dev of directory entries at 0: there, every folder counts.
                if st.st_dev in (device, 0):
                    stack.append(e.path)
            elif st.st_size >= min_bytes:
                found.append((st.st_size, e.path))
        except OSError:
            continue

print("Largest files of at least %g MiB under %s" % (min_bytes / 1048576, root))
for size, path in heapq.nlargest(count, found):
    print("%10.1f MiB  %s" % (size / 1048576, path))
if not found:
    print("none")
`,
  },
  ...windowsDiagnostics,
];
