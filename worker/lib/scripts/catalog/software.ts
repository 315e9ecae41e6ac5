import type { CatalogEntry } from './entry';
import { windowsSoftware } from './windows/software';

// Bodies: see the note in maintenance.ts (String.raw, no dollar-brace, shared exit codes).
export const software: CatalogEntry[] = [
  {
    slug: 'linux-pending-updates',
    name: 'Pending package updates',
    description:
      'Lists the package updates apt, dnf or yum would install, from the package lists as last refreshed (it does not refresh them). Exit 1 when asked to fail on pending updates and there are some, 3 when no supported package manager is present.',
    category: 'software',
    platforms: ['linux'],
    tags: ['updates', 'patching', 'monitoring'],
    version: 1,
    interpreter: 'bash',
    params: [
      { name: 'SECURITY_ONLY', label: 'Security updates only', type: 'boolean', default: false },
      { name: 'FAIL_IF_PENDING', label: 'Fail when updates are pending', type: 'boolean', default: false },
    ],
    defaultTimeoutSeconds: 300,
    body: String.raw`set -e
sec=$PARAM_SECURITY_ONLY; strict=$PARAM_FAIL_IF_PENDING
if command -v apt-get >/dev/null 2>&1; then
  echo "(apt package lists last refreshed $(date -r /var/lib/apt/lists '+%Y-%m-%d %H:%M' 2>/dev/null || echo never))"
  list=$(apt-get -s -o Debug::NoLocking=1 dist-upgrade 2>/dev/null | grep '^Inst ' || true)
  [ "$sec" = true ] && list=$(printf '%s\n' "$list" | grep -i security || true)
  printf '%s\n' "$list" | awk 'NF { old = ""; new = $3; if ($3 ~ /^\[/) { old = $3; new = $4 } gsub(/[][(]/, "", old); gsub(/[(]/, "", new); printf "  %-40s %s -> %s\n", $2, old, new }'
  n=$(printf '%s\n' "$list" | grep -c '^Inst ' || true)
elif command -v dnf >/dev/null 2>&1 || command -v yum >/dev/null 2>&1; then
  pm=$(command -v dnf || command -v yum)
  set -- -q -C check-update
  [ "$sec" = true ] && set -- "$@" --security
  rc=0; list=$("$pm" "$@" 2>/dev/null) || rc=$?
  [ "$rc" = 0 ] || [ "$rc" = 100 ] || { echo "$pm check-update failed with exit code $rc" >&2; exit 1; }
  list=$(printf '%s\n' "$list" | awk 'NF == 3 && $1 ~ /\./')
  printf '%s\n' "$list" | awk 'NF { printf "  %-40s %s\n", $1, $2 }'
  n=$(printf '%s\n' "$list" | grep -c . || true)
else
  echo "no supported package manager (apt-get, dnf, yum) found" >&2
  exit 3
fi
kind=updates; [ "$sec" = true ] && kind="security updates"
echo "Pending $kind: $n"
if [ "$strict" = true ] && [ "$n" -gt 0 ]; then exit 1; fi
`,
  },
  {
    slug: 'linux-installed-packages',
    name: 'Find installed packages',
    description: 'Lists installed packages (dpkg or rpm) whose name contains the given text, with versions: "is X installed, and which version?". Exit 1 when none matches, 2 on invalid input, 3 without dpkg or rpm.',
    category: 'software',
    platforms: ['linux'],
    tags: ['packages', 'inventory'],
    version: 1,
    interpreter: 'bash',
    params: [{ name: 'NAME_FILTER', label: 'Name contains', type: 'string', required: true, maxLength: 100, pattern: '[A-Za-z0-9.+_-]+' }],
    defaultTimeoutSeconds: 60,
    body: String.raw`set -e
filter=$PARAM_NAME_FILTER
case $filter in ''|*[!A-Za-z0-9.+_-]*) echo "error: NAME_FILTER must be letters, digits and . + _ -" >&2; exit 2;; esac
if command -v dpkg-query >/dev/null 2>&1; then
  all=$(dpkg-query -W 2>/dev/null | awk -F '\t' '$2 != ""')
elif command -v rpm >/dev/null 2>&1; then
  all=$(rpm -qa --qf '%{NAME}\t%{VERSION}-%{RELEASE}.%{ARCH}\n')
else
  echo "neither dpkg nor rpm found" >&2
  exit 3
fi
matches=$(printf '%s\n' "$all" | awk -F '\t' -v f="$filter" 'index(tolower($1), tolower(f)) { printf "%-40s %s\n", $1, $2 }' | sort)
if [ -z "$matches" ]; then echo "no installed package matches '$filter'"; exit 1; fi
printf '%s\n' "$matches"
echo "$(printf '%s\n' "$matches" | wc -l) package(s) match '$filter'"
`,
  },
  {
    slug: 'linux-reboot-required',
    name: 'Reboot required after updates',
    description:
      'Tells whether updates installed since the last boot need a restart (Debian/Ubuntu reboot-required flag, needs-restarting on RHEL-like systems, or a running kernel that is no longer installed) and which packages asked for it. Exit 1 when a reboot is required.',
    category: 'software',
    platforms: ['linux'],
    tags: ['reboot', 'updates', 'monitoring'],
    version: 1,
    interpreter: 'bash',
    params: [],
    defaultTimeoutSeconds: 60,
    body: String.raw`set -e
if [ -f /var/run/reboot-required ]; then
  echo "Reboot required"
  [ -r /var/run/reboot-required.pkgs ] && sort -u /var/run/reboot-required.pkgs | sed 's/^/  /'
  exit 1
fi
if command -v needs-restarting >/dev/null 2>&1; then
  if needs-restarting -r; then echo "No reboot required"; exit 0; fi
  echo "Reboot required"
  exit 1
fi
running=$(uname -r)
if [ -d /lib/modules ] && [ -n "$(ls -A /lib/modules 2>/dev/null)" ] && [ ! -d "/lib/modules/$running" ]; then
  echo "Reboot required: the running kernel $running is no longer installed (installed: $(ls /lib/modules | tr '\n' ' '))"
  exit 1
fi
echo "No reboot required (running kernel $running)"
`,
  },
  {
    slug: 'runtime-versions',
    name: 'Runtime and tool versions',
    description: 'Reports which of a list of programs are installed and their versions (for example to find machines with an outdated Java or OpenSSL). Exit 2 on invalid input.',
    category: 'software',
    platforms: ['linux', 'macos', 'windows'],
    tags: ['inventory', 'vulnerability'],
    version: 1,
    interpreter: 'python',
    params: [
      {
        name: 'PROGRAMS',
        label: 'Programs (comma-separated)',
        type: 'string',
        default: 'python3,java,node,dotnet,pwsh,openssl,git,docker,php',
        maxLength: 500,
        pattern: '[A-Za-z0-9._+-]+(,[A-Za-z0-9._+-]+)*',
      },
    ],
    defaultTimeoutSeconds: 120,
    body: String.raw`import os, re, shutil, subprocess, sys

names = os.environ.get("PARAM_PROGRAMS", "").strip()
if not re.fullmatch(r"[A-Za-z0-9._+-]+(,[A-Za-z0-9._+-]+)*", names):
    print("error: PROGRAMS must be program names separated by commas", file=sys.stderr)
    sys.exit(2)
flags = {"java": ["-version"], "openssl": ["version"], "dotnet": ["--list-runtimes"], "go": ["version"]}
for name in names.split(","):
    path = shutil.which(name)
    if not path:
        print("%-12s not found" % name)
        continue
    try:
        done = subprocess.run([path] + flags.get(name, ["--version"]), capture_output=True, text=True, timeout=15)
        text = (done.stdout.strip() or done.stderr.strip()).splitlines()
        print("%-12s %s (%s)" % (name, text[0] if text else "version unknown", path))
    except (OSError, subprocess.SubprocessError) as e:
        print("%-12s found at %s, version unknown (%s)" % (name, path, e))
`,
  },
  {
    slug: 'macos-software-updates',
    name: 'macOS software updates',
    description: 'Lists the macOS updates Software Update offers and whether they need a restart (queries Apple\'s catalog, installs nothing). Exit 1 when asked to fail on pending updates and there are some.',
    category: 'software',
    platforms: ['macos'],
    tags: ['updates', 'patching'],
    version: 1,
    interpreter: 'bash',
    params: [{ name: 'FAIL_IF_PENDING', label: 'Fail when updates are pending', type: 'boolean', default: false }],
    defaultTimeoutSeconds: 600,
    body: String.raw`set -e
strict=$PARAM_FAIL_IF_PENDING
out=$(softwareupdate --list 2>&1 || true)
printf '%s\n' "$out"
n=$(printf '%s\n' "$out" | grep -c '^\* Label:' || true)
echo "Pending updates: $n"
if [ "$strict" = true ] && [ "$n" -gt 0 ]; then exit 1; fi
`,
  },
  ...windowsSoftware,
];
