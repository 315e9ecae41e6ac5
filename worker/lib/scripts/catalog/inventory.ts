import type { CatalogEntry } from './entry';
import { windowsInventory } from './windows/inventory';

// Bodies: see the note in maintenance.ts (String.raw, no dollar-brace, shared exit codes).
export const inventory: CatalogEntry[] = [
  {
    slug: 'system-summary',
    name: 'System summary',
    description: 'Host name, operating system, CPU, memory, disks and uptime on any platform, as text or as JSON for further processing. Exit 2 on invalid input.',
    category: 'inventory',
    platforms: ['linux', 'macos', 'windows'],
    tags: ['hardware', 'os'],
    version: 1,
    interpreter: 'python',
    params: [{ name: 'FORMAT', label: 'Output', type: 'choice', options: ['text', 'json'], default: 'text' }],
    defaultTimeoutSeconds: 60,
    body: String.raw`import json, os, platform, shutil, socket, subprocess, sys, time

fmt = os.environ.get("PARAM_FORMAT", "text")
if fmt not in ("text", "json"):
    print("error: FORMAT must be text or json", file=sys.stderr)
    sys.exit(2)
system = platform.system()

def sysctl(name):
    try:
        return subprocess.run(["sysctl", "-n", name], capture_output=True, text=True, timeout=5).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""

def windows_memory():
    import ctypes
    class Status(ctypes.Structure):
        _fields_ = [("length", ctypes.c_ulong), ("load", ctypes.c_ulong), ("total", ctypes.c_ulonglong), ("avail", ctypes.c_ulonglong),
                    ("pagetotal", ctypes.c_ulonglong), ("pageavail", ctypes.c_ulonglong), ("vtotal", ctypes.c_ulonglong), ("vavail", ctypes.c_ulonglong), ("ext", ctypes.c_ulonglong)]
    s = Status()
    s.length = ctypes.sizeof(Status)
    kernel32 = ctypes.windll.kernel32
    kernel32.GlobalMemoryStatusEx(ctypes.byref(s))
    kernel32.GetTickCount64.restype = ctypes.c_ulonglong
    return s.total, kernel32.GetTickCount64() / 1000

cpu, memory, uptime, mounts = platform.processor(), None, None, [os.path.abspath(os.sep)]
if system == "Linux":
    with open("/proc/cpuinfo") as f:
        cpu = next((l.split(":", 1)[1].strip() for l in f if l.startswith("model name")), cpu)
    with open("/proc/meminfo") as f:
        memory = next(int(l.split()[1]) * 1024 for l in f if l.startswith("MemTotal:"))
    with open("/proc/uptime") as f:
        uptime = float(f.read().split()[0])
    with open("/proc/mounts") as f:
        real = ("ext2", "ext3", "ext4", "xfs", "btrfs", "zfs", "vfat", "ntfs", "ntfs3", "f2fs", "overlay")
        mounts = sorted({l.split()[1] for l in f if l.split()[2] in real}) or mounts
elif system == "Darwin":
    cpu = sysctl("machdep.cpu.brand_string") or cpu
    memory = int(sysctl("hw.memsize") or 0) or None
    boot = sysctl("kern.boottime")
    if "sec = " in boot:
        uptime = time.time() - int(boot.split("sec = ")[1].split(",")[0])
elif system == "Windows":
    memory, uptime = windows_memory()
    mounts = [d + ":\\" for d in "CDEFGHIJKLMNOPQRSTUVWXYZ" if os.path.exists(d + ":\\")]

disks = []
for m in mounts:
    try:
        u = shutil.disk_usage(m)
        disks.append({"mount": m, "total_gib": round(u.total / 2**30, 1), "free_gib": round(u.free / 2**30, 1)})
    except OSError:
        pass
info = {
    "hostname": socket.gethostname(),
    "os": platform.platform(),
    "architecture": platform.machine(),
    "cpu": cpu,
    "cpu_count": os.cpu_count(),
    "memory_gib": round(memory / 2**30, 1) if memory else None,
    "uptime_hours": round(uptime / 3600, 1) if uptime is not None else None,
    "disks": disks,
    "python": platform.python_version(),
}
if fmt == "json":
    print(json.dumps(info, indent=2))
else:
    for key, value in info.items():
        if key != "disks":
            print("%-14s %s" % (key, value))
    for d in disks:
        print("%-14s %s: %s GiB free of %s GiB" % ("disk", d["mount"], d["free_gib"], d["total_gib"]))
`,
  },
  {
    slug: 'linux-hardware-summary',
    name: 'Hardware summary',
    description: 'Vendor, model, serial number and BIOS (root needed for the serial), CPU, memory, disks and operating system of a Linux machine.',
    category: 'inventory',
    platforms: ['linux'],
    tags: ['hardware', 'os'],
    version: 1,
    interpreter: 'bash',
    params: [],
    defaultTimeoutSeconds: 60,
    body: String.raw`set -e
echo "== System"
for f in sys_vendor product_name product_serial board_name bios_vendor bios_version bios_date; do
  v=$(cat "/sys/class/dmi/id/$f" 2>/dev/null || true)
  [ -n "$v" ] && printf '  %-15s %s\n' "$f" "$v"
done
command -v systemd-detect-virt >/dev/null 2>&1 && printf '  %-15s %s\n' virtualization "$(systemd-detect-virt 2>/dev/null || true)"
echo "== CPU"
if command -v lscpu >/dev/null 2>&1; then
  lscpu | grep -E '^(Model name|Architecture|Socket\(s\)|Core\(s\) per socket|Thread\(s\) per core|CPU\(s\)):' | sed 's/^/  /'
else
  grep -m 1 'model name' /proc/cpuinfo | sed 's/^/  /'
fi
echo "== Memory"
free -h | sed 's/^/  /'
echo "== Disks"
if command -v lsblk >/dev/null 2>&1; then lsblk -d -e 7 -o NAME,SIZE,TYPE,ROTA,MODEL,SERIAL | sed 's/^/  /'; else df -hP | sed 's/^/  /'; fi
echo "== Operating system"
if [ -r /etc/os-release ]; then . /etc/os-release; echo "  $PRETTY_NAME"; fi
echo "  kernel $(uname -r) ($(uname -m))"
`,
  },
  {
    slug: 'linux-installed-software-csv',
    name: 'Installed software (CSV)',
    description: 'Every installed package with version and architecture as CSV on standard output (dpkg or rpm), ready to save from the output. Exit 3 without dpkg or rpm.',
    category: 'inventory',
    platforms: ['linux'],
    tags: ['packages', 'export'],
    version: 1,
    interpreter: 'bash',
    params: [],
    defaultTimeoutSeconds: 120,
    body: String.raw`set -e
d='$'
echo "name,version,architecture"
if command -v dpkg-query >/dev/null 2>&1; then
  dpkg-query -W -f="$d{db:Status-Abbrev},$d{Package},$d{Version},$d{Architecture}\n" | awk -F, '$1 ~ /^ii/ { print $2 "," $3 "," $4 }' | sort
elif command -v rpm >/dev/null 2>&1; then
  rpm -qa --qf '%{NAME},%{VERSION}-%{RELEASE},%{ARCH}\n' | sort
else
  echo "neither dpkg nor rpm found" >&2
  exit 3
fi
`,
  },
  {
    slug: 'linux-local-users',
    name: 'Local user accounts',
    description: 'Local accounts with a UID of at least the given minimum (and root): groups, shell, last login and password state (locked, set, none; needs root). Exit 2 on invalid input.',
    category: 'inventory',
    platforms: ['linux'],
    tags: ['accounts', 'audit'],
    version: 1,
    interpreter: 'bash',
    params: [{ name: 'MIN_UID', label: 'Minimum UID', type: 'number', integer: true, min: 0, max: 65535, default: 1000 }],
    defaultTimeoutSeconds: 60,
    body: String.raw`set -e
min=$PARAM_MIN_UID
[ -n "$min" ] || min=1000
case $min in *[!0-9]*) echo "error: MIN_UID must be a whole number" >&2; exit 2;; esac
printf '%-20s %-7s %-8s %-22s %-20s %s\n' USER UID PASSWORD SHELL LAST_LOGIN GROUPS
getent passwd | awk -F: -v min="$min" '($3 == 0 || $3 >= min) && $3 != 65534 { print $1 ":" $3 ":" $7 }' | while IFS=: read -r user uid shell; do
  state=$(passwd -S "$user" 2>/dev/null | awk '{ print $2 }')
  case $state in L|LK) state=locked;; P|PS) state=set;; NP) state=none;; *) state=unknown;; esac
  last=unknown
  if command -v lastlog >/dev/null 2>&1; then
    last=$(lastlog -u "$user" 2>/dev/null | awk 'NR == 2 { if ($0 ~ /Never logged in/) print "never"; else print $(NF-4), $(NF-3), $NF, $(NF-2) }')
  fi
  groups=$(id -nG "$user" 2>/dev/null | tr ' ' ',')
  printf '%-20s %-7s %-8s %-22s %-20s %s\n' "$user" "$uid" "$state" "$shell" "$last" "$groups"
done
`,
  },
  {
    slug: 'macos-hardware-summary',
    name: 'Mac hardware summary',
    description: 'Model, chip, memory, serial number, storage and macOS version of a Mac.',
    category: 'inventory',
    platforms: ['macos'],
    tags: ['hardware', 'os'],
    version: 1,
    interpreter: 'bash',
    params: [],
    defaultTimeoutSeconds: 120,
    body: String.raw`set -e
echo "== macOS"
sw_vers
echo "== Hardware"
system_profiler SPHardwareDataType | sed -nE 's/^ *(Model Name|Model Identifier|Chip|Processor Name|Total Number of Cores|Memory|Serial Number \(system\)|System Firmware Version): */  \1: /p'
echo "== Storage"
df -H / /System/Volumes/Data 2>/dev/null | sed 's/^/  /'
`,
  },
  ...windowsInventory,
];
