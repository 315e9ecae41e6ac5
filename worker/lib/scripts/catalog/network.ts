import type { CatalogEntry } from './entry';
import { windowsNetwork } from './windows/network';

// Bodies: see the note in maintenance.ts (String.raw, no dollar-brace, shared exit codes).
export const network: CatalogEntry[] = [
  {
    slug: 'linux-listening-ports',
    name: 'Listening ports',
    description: 'TCP and/or UDP sockets listening for connections, with the owning process (process names need root). Exit 3 when neither ss nor netstat is installed.',
    category: 'network',
    platforms: ['linux'],
    tags: ['ports', 'audit'],
    version: 1,
    interpreter: 'bash',
    params: [{ name: 'PROTOCOL', label: 'Protocol', type: 'choice', options: ['tcp', 'udp', 'both'], default: 'both' }],
    defaultTimeoutSeconds: 30,
    body: String.raw`set -e
case $PARAM_PROTOCOL in
  tcp) flags=-lntp;; udp) flags=-lnup;; both|'') flags=-lntup;;
  *) echo "error: PROTOCOL must be tcp, udp or both" >&2; exit 2;;
esac
if command -v ss >/dev/null 2>&1; then ss "$flags"
elif command -v netstat >/dev/null 2>&1; then netstat "$flags"
else
  echo "neither ss nor netstat is installed" >&2
  exit 3
fi
`,
  },
  {
    slug: 'port-check',
    name: 'TCP port reachability',
    description: 'Resolves a host and tries a TCP connection to a port from this machine, reporting the address used and the connect time. Exit 1 when the port cannot be reached, 2 on invalid input.',
    category: 'network',
    platforms: ['linux', 'macos', 'windows'],
    tags: ['ports', 'connectivity', 'monitoring'],
    version: 1,
    interpreter: 'python',
    params: [
      { name: 'HOST', label: 'Host', type: 'string', required: true, maxLength: 253, pattern: '[A-Za-z0-9.:-]+' },
      { name: 'PORT', label: 'Port', type: 'number', integer: true, min: 1, max: 65535, required: true },
      { name: 'TIMEOUT_SECONDS', label: 'Timeout (s)', type: 'number', min: 1, max: 60, default: 5 },
    ],
    defaultTimeoutSeconds: 120,
    body: String.raw`import os, re, socket, sys, time

def fail(message, code=2):
    print("error: " + message, file=sys.stderr)
    sys.exit(code)

host = os.environ.get("PARAM_HOST", "").strip()
if not re.fullmatch(r"[A-Za-z0-9.:-]{1,253}", host):
    fail("HOST must be a host name or IP address")
try:
    port = int(os.environ.get("PARAM_PORT", ""))
    timeout = float(os.environ.get("PARAM_TIMEOUT_SECONDS", "5"))
except ValueError:
    fail("PORT and TIMEOUT_SECONDS must be numbers")
if not 1 <= port <= 65535 or timeout <= 0:
    fail("PORT must be 1-65535 and TIMEOUT_SECONDS positive")
try:
    addresses = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
except socket.gaierror as e:
    fail("cannot resolve %s: %s" % (host, e), 1)
last = None
for family, kind, proto, _, address in addresses:
    started = time.monotonic()
    try:
        with socket.socket(family, kind, proto) as s:
            s.settimeout(timeout)
            s.connect(address)
        print("%s:%d is open (via %s, connected in %.0f ms)" % (host, port, address[0], (time.monotonic() - started) * 1000))
        sys.exit(0)
    except OSError as e:
        last = e
        print("%s port %d: %s" % (address[0], port, e.strerror or e))
fail("%s:%d is not reachable: %s" % (host, port, last), 1)
`,
  },
  {
    slug: 'http-check',
    name: 'HTTP endpoint check',
    description:
      'Requests a URL from this machine and checks the status code and, optionally, that the body contains a text; reports the response time. Exit 1 when the request fails, the status differs or the text is missing, 2 on invalid input.',
    category: 'network',
    platforms: ['linux', 'macos', 'windows'],
    tags: ['http', 'connectivity', 'monitoring'],
    version: 1,
    interpreter: 'python',
    params: [
      { name: 'URL', label: 'URL', type: 'string', required: true, maxLength: 2000, pattern: 'https?://[^\\s]+' },
      { name: 'EXPECT_STATUS', label: 'Expected status', type: 'number', integer: true, min: 100, max: 599, default: 200 },
      { name: 'CONTAINS', label: 'Body contains (optional)', type: 'string', maxLength: 200 },
      { name: 'TIMEOUT_SECONDS', label: 'Timeout (s)', type: 'number', min: 1, max: 120, default: 10 },
      { name: 'VERIFY_TLS', label: 'Verify the certificate', type: 'boolean', default: true },
    ],
    defaultTimeoutSeconds: 180,
    body: String.raw`import os, re, ssl, sys, time, urllib.error, urllib.request

def fail(message, code=2):
    print("error: " + message, file=sys.stderr)
    sys.exit(code)

url = os.environ.get("PARAM_URL", "").strip()
if not re.fullmatch(r"https?://\S+", url):
    fail("URL must start with http:// or https://")
try:
    expect = int(os.environ.get("PARAM_EXPECT_STATUS", "200"))
    timeout = float(os.environ.get("PARAM_TIMEOUT_SECONDS", "10"))
except ValueError:
    fail("EXPECT_STATUS and TIMEOUT_SECONDS must be numbers")
needle = os.environ.get("PARAM_CONTAINS", "")
context = ssl.create_default_context()
if os.environ.get("PARAM_VERIFY_TLS", "true") == "false":
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE

request = urllib.request.Request(url, headers={"User-Agent": "tether-http-check"})
started = time.monotonic()
try:
    with urllib.request.urlopen(request, timeout=timeout, context=context) as r:
        status, body = r.status, r.read(1048576)
except urllib.error.HTTPError as e:
    status, body = e.code, e.read(1048576)
except (urllib.error.URLError, OSError) as e:
    fail("request to %s failed: %s" % (url, getattr(e, "reason", e)), 1)
elapsed = (time.monotonic() - started) * 1000
print("HTTP %d from %s in %.0f ms (%d bytes)" % (status, url, elapsed, len(body)))
problems = []
if status != expect:
    problems.append("expected status %d" % expect)
if needle and needle not in body.decode("utf-8", "replace"):
    problems.append("the body does not contain %r" % needle)
for p in problems:
    print("!! " + p)
sys.exit(1 if problems else 0)
`,
  },
  {
    slug: 'dns-lookup',
    name: 'DNS lookup',
    description: 'Resolves a name through this machine\'s own resolver (as applications see it), optionally with reverse lookups, and shows the configured DNS servers. Exit 1 when the name does not resolve, 2 on invalid input.',
    category: 'network',
    platforms: ['linux', 'macos', 'windows'],
    tags: ['dns', 'connectivity'],
    version: 1,
    interpreter: 'python',
    params: [
      { name: 'NAME', label: 'Name', type: 'string', required: true, maxLength: 253, pattern: '[A-Za-z0-9._-]+' },
      { name: 'FAMILY', label: 'Addresses', type: 'choice', options: ['any', 'ipv4', 'ipv6'], default: 'any' },
      { name: 'REVERSE', label: 'Reverse-resolve each address', type: 'boolean', default: false },
    ],
    defaultTimeoutSeconds: 60,
    body: String.raw`import os, re, socket, sys

name = os.environ.get("PARAM_NAME", "").strip()
if not re.fullmatch(r"[A-Za-z0-9._-]{1,253}", name):
    print("error: NAME must be a host name", file=sys.stderr)
    sys.exit(2)
families = {"any": socket.AF_UNSPEC, "ipv4": socket.AF_INET, "ipv6": socket.AF_INET6}
family = families.get(os.environ.get("PARAM_FAMILY", "any"))
if family is None:
    print("error: FAMILY must be any, ipv4 or ipv6", file=sys.stderr)
    sys.exit(2)
reverse = os.environ.get("PARAM_REVERSE", "false") == "true"
if os.path.exists("/etc/resolv.conf"):
    with open("/etc/resolv.conf") as f:
        servers = [l.split()[1] for l in f if l.startswith("nameserver") and len(l.split()) > 1]
    print("DNS servers: " + (", ".join(servers) or "none configured"))
try:
    infos = socket.getaddrinfo(name, None, family, socket.SOCK_STREAM)
except socket.gaierror as e:
    print("%s does not resolve: %s" % (name, e.strerror), file=sys.stderr)
    sys.exit(1)
addresses = sorted({i[4][0] for i in infos})
print("%s resolves to %d address(es):" % (name, len(addresses)))
for a in addresses:
    line = "  " + a
    if reverse:
        try:
            line += "  (" + socket.gethostbyaddr(a)[0] + ")"
        except OSError:
            line += "  (no reverse name)"
    print(line)
`,
  },
  {
    slug: 'traceroute',
    name: 'Traceroute',
    description: 'Shows the network path to a host hop by hop (traceroute, or tracepath when that is what is installed). Exit 1 when the trace fails, 2 on invalid input, 3 when neither tool is installed.',
    category: 'network',
    platforms: ['linux', 'macos'],
    tags: ['connectivity'],
    version: 1,
    interpreter: 'bash',
    params: [
      { name: 'HOST', label: 'Host', type: 'string', required: true, maxLength: 253, pattern: '[A-Za-z0-9.:-]+' },
      { name: 'MAX_HOPS', label: 'Maximum hops', type: 'number', integer: true, min: 1, max: 64, default: 30 },
    ],
    defaultTimeoutSeconds: 180,
    body: String.raw`set -e
host=$PARAM_HOST; hops=$PARAM_MAX_HOPS
[ -n "$hops" ] || hops=30
case $host in ''|-*|*[!A-Za-z0-9.:-]*) echo "error: HOST must be a host name or IP address" >&2; exit 2;; esac
case $hops in *[!0-9]*|0) echo "error: MAX_HOPS must be a whole number of at least 1" >&2; exit 2;; esac
if command -v traceroute >/dev/null 2>&1; then traceroute -n -m "$hops" -w 2 -q 1 "$host" || exit 1
elif command -v tracepath >/dev/null 2>&1; then tracepath -n -m "$hops" "$host" || exit 1
else
  echo "neither traceroute nor tracepath is installed" >&2
  exit 3
fi
`,
  },
  {
    slug: 'linux-ping-sweep',
    name: 'Ping sweep',
    description: 'Pings a range of addresses in a /24 network (64 at a time) and lists those that answer, with their MAC address when known. Exit 2 on invalid input, 3 when ping is not installed.',
    category: 'network',
    platforms: ['linux'],
    tags: ['discovery', 'connectivity'],
    version: 1,
    interpreter: 'bash',
    params: [
      { name: 'NETWORK', label: 'Network (first three octets)', type: 'string', required: true, maxLength: 11, pattern: '\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}', description: 'For example 192.168.1' },
      { name: 'FIRST', label: 'First host', type: 'number', integer: true, min: 1, max: 254, default: 1 },
      { name: 'LAST', label: 'Last host', type: 'number', integer: true, min: 1, max: 254, default: 254 },
    ],
    defaultTimeoutSeconds: 120,
    body: String.raw`set -e
net=$PARAM_NETWORK; first=$PARAM_FIRST; last=$PARAM_LAST
bad() { echo "error: $*" >&2; exit 2; }
echo "$net" | grep -Eq '^[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}$' || bad "NETWORK must be three octets like 192.168.1"
for o in $(echo "$net" | tr . ' '); do [ "$o" -le 255 ] || bad "octet $o is above 255"; done
case $first$last in ''|*[!0-9]*) bad "FIRST and LAST must be whole numbers";; esac
[ "$first" -ge 1 ] && [ "$last" -le 254 ] && [ "$first" -le "$last" ] || bad "need 1 <= FIRST <= LAST <= 254"
command -v ping >/dev/null 2>&1 || { echo "ping is not installed" >&2; exit 3; }
echo "Pinging $net.$first-$last"
up=$(
  i=$first
  while [ "$i" -le "$last" ]; do
    ip="$net.$i"
    ( ping -n -c 1 -W 1 "$ip" >/dev/null 2>&1 && echo "$ip" ) &
    [ $(((i - first + 1) % 64)) -eq 0 ] && wait
    i=$((i + 1))
  done
  wait
)
up=$(printf '%s\n' "$up" | grep . | sort -t . -k 4 -n || true)
for ip in $up; do
  mac=$(ip neigh show "$ip" 2>/dev/null | awk '/lladdr/ { print " (" $5 ")" }')
  echo "$ip is up$mac"
done
echo "$(printf '%s\n' "$up" | grep -c . || true) of $((last - first + 1)) addresses answered"
`,
  },
  {
    slug: 'linux-network-config',
    name: 'Network configuration',
    description: 'Addresses of every interface, routes, DNS servers and host name of a Linux machine.',
    category: 'network',
    platforms: ['linux'],
    tags: ['dns', 'inventory'],
    version: 1,
    interpreter: 'bash',
    params: [],
    defaultTimeoutSeconds: 30,
    body: String.raw`set -e
echo "== Host name: $(hostname)"
echo "== Addresses"
if command -v ip >/dev/null 2>&1; then ip -br addr; else ifconfig -a; fi
echo "== Routes"
if command -v ip >/dev/null 2>&1; then ip route; ip -6 route 2>/dev/null || true; else netstat -rn; fi
echo "== DNS"
if command -v resolvectl >/dev/null 2>&1 && resolvectl dns >/dev/null 2>&1; then
  resolvectl dns
else
  grep -E '^(nameserver|search|domain)' /etc/resolv.conf 2>/dev/null || echo "no /etc/resolv.conf"
fi
`,
  },
  {
    slug: 'macos-flush-dns',
    name: 'Flush the DNS cache (macOS)',
    description: 'Clears the macOS DNS cache and restarts mDNSResponder: the fix after a DNS record changed. Needs root (the agent runs as root).',
    category: 'network',
    platforms: ['macos'],
    tags: ['dns', 'repair'],
    version: 1,
    interpreter: 'bash',
    params: [],
    defaultTimeoutSeconds: 30,
    body: String.raw`set -e
dscacheutil -flushcache
killall -HUP mDNSResponder
echo "DNS cache flushed"
`,
  },
  ...windowsNetwork,
];
