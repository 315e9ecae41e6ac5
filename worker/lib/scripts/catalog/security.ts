import type { CatalogEntry } from './entry';
import { windowsSecurity } from './windows/security';

// Bodies: see the note in maintenance.ts (String.raw, no dollar-brace, shared exit codes).
export const security: CatalogEntry[] = [
  {
    slug: 'linux-list-admins',
    name: 'Administrators and sudo rules',
    description: 'Lists accounts with UID 0, members of the sudo, wheel and admin groups, and every active rule in /etc/sudoers and /etc/sudoers.d.',
    category: 'security',
    platforms: ['linux'],
    tags: ['accounts', 'audit'],
    version: 1,
    interpreter: 'bash',
    params: [],
    defaultTimeoutSeconds: 30,
    body: String.raw`set -e
echo "== Accounts with UID 0"
awk -F: '$3 == 0 { print "  " $1 }' /etc/passwd
echo "== Members of administrative groups"
for g in sudo wheel admin; do
  line=$(getent group "$g") || continue
  members=$(printf '%s' "$line" | cut -d: -f4)
  echo "  $g: $([ -n "$members" ] && echo "$members" || echo "(no members)")"
done
echo "== sudoers rules"
rules=$(for f in /etc/sudoers /etc/sudoers.d/*; do
  [ -f "$f" ] && [ -r "$f" ] || continue
  grep -Ev '^[[:space:]]*(#|$)|^[[:space:]]*Defaults' "$f" | sed "s|^|  $f: |" || true
done)
if [ -n "$rules" ]; then printf '%s\n' "$rules"; else echo "  none (no readable sudoers file with rules)"; fi
`,
  },
  {
    slug: 'linux-failed-logins',
    name: 'Failed logins',
    description:
      'Failed login attempts of the last N hours from the login failure log (lastb) and the SSH journal, with the most frequent sources. Exit 3 when neither source exists, 2 on invalid input.',
    category: 'security',
    platforms: ['linux'],
    tags: ['accounts', 'ssh', 'audit'],
    version: 1,
    interpreter: 'bash',
    params: [{ name: 'HOURS', label: 'Last hours', type: 'number', integer: true, min: 1, max: 720, default: 24 }],
    defaultTimeoutSeconds: 120,
    body: String.raw`set -e
h=$PARAM_HOURS
[ -n "$h" ] || h=24
case $h in *[!0-9]*|0) echo "error: HOURS must be a whole number of at least 1" >&2; exit 2;; esac
sources=0
echo "Failed logins in the last $h hours"
if command -v lastb >/dev/null 2>&1 && [ -r /var/log/btmp ]; then
  sources=1
  echo "== login failure log (lastb)"
  out=$(lastb -w -s "-$h"hours 2>/dev/null | grep -v -e '^btmp begins' -e '^$') || true
  if [ -n "$out" ]; then printf '%s\n' "$out"; else echo "  none"; fi
fi
if command -v journalctl >/dev/null 2>&1; then
  sources=1
  echo "== SSH (journal)"
  out=$(journalctl --since "-$h"h -q --no-pager -t sshd -t sshd-session 2>/dev/null | grep -E 'Failed password|Invalid user|authentication failure') || true
  if [ -n "$out" ]; then
    echo "  $(printf '%s\n' "$out" | wc -l) failure(s); most frequent sources:"
    printf '%s\n' "$out" | grep -oE 'from [0-9A-Fa-f.:]+' | sort | uniq -c | sort -rn | head -n 10
  else
    echo "  none"
  fi
fi
[ "$sources" = 1 ] || { echo "no login failure source found (lastb, journalctl)" >&2; exit 3; }
`,
  },
  {
    slug: 'linux-firewall-status',
    name: 'Firewall status',
    description:
      'Shows whether a host firewall is active (ufw, firewalld, nftables or iptables, first one found) and its rules. Exit 1 when it is inactive or has no rules, 3 when none of these tools is installed.',
    category: 'security',
    platforms: ['linux'],
    tags: ['firewall', 'audit'],
    version: 1,
    interpreter: 'bash',
    params: [],
    defaultTimeoutSeconds: 60,
    body: String.raw`set -e
if command -v ufw >/dev/null 2>&1; then
  echo "Firewall: ufw"
  ufw status verbose
  ufw status | grep -q '^Status: active' || exit 1
elif command -v firewall-cmd >/dev/null 2>&1; then
  echo "Firewall: firewalld"
  firewall-cmd --state || exit 1
  firewall-cmd --list-all
elif command -v nft >/dev/null 2>&1; then
  echo "Firewall: nftables"
  rules=$(nft list ruleset)
  printf '%s\n' "$rules"
  printf '%s\n' "$rules" | grep -qE '^[[:space:]]+(ip|ip6|tcp|udp|iif|oif|ct|meta|counter|accept|drop|reject|jump)' || { echo "no rules loaded" >&2; exit 1; }
elif command -v iptables >/dev/null 2>&1; then
  echo "Firewall: iptables"
  rules=$(iptables -S)
  printf '%s\n' "$rules"
  printf '%s\n' "$rules" | grep -qE '^-A |^-P (INPUT|FORWARD) (DROP|REJECT)' || { echo "no rules and accepting policies" >&2; exit 1; }
else
  echo "no firewall tool found (ufw, firewall-cmd, nft, iptables)" >&2
  exit 3
fi
`,
  },
  {
    slug: 'linux-ssh-audit',
    name: 'SSH server configuration audit',
    description:
      'Reads the effective OpenSSH server configuration (sshd -T) and flags risky settings: root login with a password, empty passwords, password logins (unless allowed), X11 forwarding. Exit 1 when something is flagged, 3 when the OpenSSH server is not installed.',
    category: 'security',
    platforms: ['linux'],
    tags: ['ssh', 'audit', 'hardening'],
    version: 1,
    interpreter: 'bash',
    params: [{ name: 'ALLOW_PASSWORD_AUTH', label: 'Password logins are acceptable', type: 'boolean', default: true }],
    defaultTimeoutSeconds: 30,
    body: String.raw`set -e
allow=$PARAM_ALLOW_PASSWORD_AUTH
sshd=$(command -v sshd || true)
[ -n "$sshd" ] || { [ -x /usr/sbin/sshd ] && sshd=/usr/sbin/sshd; }
[ -n "$sshd" ] || { echo "the OpenSSH server (sshd) is not installed" >&2; exit 3; }
conf=$("$sshd" -T 2>&1) || { printf '%s\n' "$conf" >&2; echo "sshd -T failed: it needs root and a valid configuration" >&2; exit 3; }
get() { printf '%s\n' "$conf" | awk -v k="$1" '$1 == k { print $2; exit }'; }
flagged=0
flag() { echo "  !! $*"; flagged=1; }
for k in port permitrootlogin passwordauthentication permitemptypasswords pubkeyauthentication x11forwarding maxauthtries; do
  printf '%-24s %s\n' "$k" "$(get "$k")"
done
[ "$(get permitrootlogin)" = yes ] && flag "root may log in with a password (PermitRootLogin yes)"
[ "$(get permitemptypasswords)" = yes ] && flag "empty passwords are accepted"
[ "$allow" = false ] && [ "$(get passwordauthentication)" = yes ] && flag "password logins are enabled"
[ "$(get x11forwarding)" = yes ] && flag "X11 forwarding is enabled"
[ "$flagged" = 0 ] && echo "no risky settings found"
exit $flagged
`,
  },
  {
    slug: 'cert-expiry-check',
    name: 'TLS certificate expiry',
    description:
      'Connects to host:port, reads the server certificate and reports when it expires and whether it is trusted for that name. Exit 1 when it expires within the warning days, (with verification) is not trusted or the TLS connection fails; 2 on invalid input.',
    category: 'security',
    platforms: ['linux', 'macos', 'windows'],
    tags: ['tls', 'certificates', 'monitoring'],
    version: 1,
    interpreter: 'python',
    params: [
      { name: 'HOST', label: 'Host', type: 'string', required: true, maxLength: 253, pattern: '[A-Za-z0-9.:-]+' },
      { name: 'PORT', label: 'Port', type: 'number', integer: true, min: 1, max: 65535, default: 443 },
      { name: 'WARN_DAYS', label: 'Warn when fewer days left', type: 'number', integer: true, min: 0, max: 3650, default: 30 },
      { name: 'VERIFY', label: 'Check the chain and name', type: 'boolean', default: true },
    ],
    defaultTimeoutSeconds: 60,
    body: String.raw`import datetime, os, re, socket, ssl, sys

def fail(message, code=2):
    print("error: " + message, file=sys.stderr)
    sys.exit(code)

host = os.environ.get("PARAM_HOST", "").strip()
if not re.fullmatch(r"[A-Za-z0-9.:-]{1,253}", host):
    fail("HOST must be a host name or IP address")
try:
    port = int(os.environ.get("PARAM_PORT", "443"))
    warn = int(os.environ.get("PARAM_WARN_DAYS", "30"))
except ValueError:
    fail("PORT and WARN_DAYS must be whole numbers")
if not 1 <= port <= 65535 or warn < 0:
    fail("PORT must be 1-65535 and WARN_DAYS not negative")
verify = os.environ.get("PARAM_VERIFY", "true") != "false"

def tlv(der, i):
    """Tag, content start and content end of the DER element at i."""
    tag, n = der[i], der[i + 1]
    i += 2
    if n & 0x80:
        k = n & 0x7F
        n = int.from_bytes(der[i:i + k], "big")
        i += k
    return tag, i, i + n

def not_after(der):
    _, cert, _ = tlv(der, 0)
    _, i, _ = tlv(der, cert)
    if der[i] == 0xA0:
        i = tlv(der, i)[2]
    for _ in range(3):  # serialNumber, signature, issuer
        i = tlv(der, i)[2]
    _, validity, _ = tlv(der, i)
    tag, s, e = tlv(der, tlv(der, validity)[2])
    text = der[s:e].decode("ascii")
    when = datetime.datetime.strptime(text, "%y%m%d%H%M%SZ" if tag == 0x17 else "%Y%m%d%H%M%SZ")
    return when.replace(tzinfo=datetime.timezone.utc)

def fetch(context):
    with socket.create_connection((host, port), timeout=10) as raw:
        with context.wrap_socket(raw, server_hostname=host) as tls:
            return tls.getpeercert(binary_form=True)

trust_problem = None
try:
    if verify:
        try:
            fetch(ssl.create_default_context())
        except ssl.SSLCertVerificationError as e:
            trust_problem = e.verify_message or str(e)
    loose = ssl.create_default_context()
    loose.check_hostname = False
    loose.verify_mode = ssl.CERT_NONE
    der = fetch(loose)
except (OSError, ssl.SSLError) as e:
    fail("cannot connect to %s:%d over TLS: %s" % (host, port, e), 1)

expires = not_after(der)
days = (expires - datetime.datetime.now(datetime.timezone.utc)).days
print("Certificate of %s:%d expires %s (in %d days)" % (host, port, expires.strftime("%Y-%m-%d %H:%M UTC"), days))
problems = []
if days < 0:
    problems.append("the certificate has expired")
elif days < warn:
    problems.append("expires within the warning period of %d days" % warn)
if verify:
    print("Trusted for this name: " + ("no (" + trust_problem + ")" if trust_problem else "yes"))
    if trust_problem:
        problems.append("not trusted: " + trust_problem)
for p in problems:
    print("!! " + p)
sys.exit(1 if problems else 0)
`,
  },
  {
    slug: 'macos-security-status',
    name: 'macOS security posture',
    description: 'FileVault, Gatekeeper, System Integrity Protection, the application firewall and automatic update checks in one view. Exit 1 when FileVault, Gatekeeper or the firewall is off.',
    category: 'security',
    platforms: ['macos'],
    tags: ['audit', 'encryption', 'firewall'],
    version: 1,
    interpreter: 'bash',
    params: [],
    defaultTimeoutSeconds: 60,
    body: String.raw`set -e
bad=0
echo "== FileVault"; fv=$(fdesetup status 2>&1 || true); echo "$fv"
case $fv in *"FileVault is On"*) ;; *) bad=1;; esac
echo "== Gatekeeper"; gk=$(spctl --status 2>&1 || true); echo "$gk"
case $gk in *enabled*) ;; *) bad=1;; esac
echo "== System Integrity Protection"; csrutil status 2>&1 || true
echo "== Application firewall"; fw=$(/usr/libexec/ApplicationFirewall/socketfilterfw --getglobalstate 2>&1 || true); echo "$fw"
case $fw in *enabled*) ;; *) bad=1;; esac
echo "== Automatic update check"
defaults read /Library/Preferences/com.apple.SoftwareUpdate AutomaticCheckEnabled 2>/dev/null || echo "not set (system default)"
exit $bad
`,
  },
  ...windowsSecurity,
];
