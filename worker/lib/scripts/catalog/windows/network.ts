import type { CatalogEntry } from '../entry';

// The network category's PowerShell scripts (bodies: see the note in ../maintenance.ts).
export const windowsNetwork: CatalogEntry[] = [
  {
    slug: 'windows-flush-dns',
    name: 'Flush the DNS cache (Windows)',
    description: 'Clears the Windows DNS client cache and optionally re-registers this machine in DNS; shows the DNS servers in use afterwards.',
    category: 'network',
    platforms: ['windows'],
    tags: ['dns', 'repair'],
    version: 1,
    interpreter: 'powershell',
    params: [{ name: 'REGISTER', label: 'Also re-register in DNS', type: 'boolean', default: false }],
    defaultTimeoutSeconds: 60,
    body: String.raw`$ErrorActionPreference = 'Stop'
Clear-DnsClientCache
'DNS cache flushed'
if ($env:PARAM_REGISTER -eq 'true') { Register-DnsClient; 'DNS registration requested' }
Get-DnsClientServerAddress -AddressFamily IPv4 | Where-Object { $_.ServerAddresses } | Select-Object InterfaceAlias, ServerAddresses | Format-Table -AutoSize | Out-String -Width 200
`,
  },
  {
    slug: 'windows-test-connection',
    name: 'Test a connection (Windows)',
    description: 'Pings a host and, with a port, tests a TCP connection to it from this machine (Test-NetConnection), optionally tracing the route. Exit 1 when the host or port is unreachable, 2 on invalid input.',
    category: 'network',
    platforms: ['windows'],
    tags: ['connectivity', 'ports'],
    version: 1,
    interpreter: 'powershell',
    params: [
      { name: 'HOST', label: 'Host', type: 'string', required: true, maxLength: 253, pattern: '[A-Za-z0-9.:-]+' },
      { name: 'PORT', label: 'Port (0 = ping only)', type: 'number', integer: true, min: 0, max: 65535, default: 0 },
      { name: 'TRACE', label: 'Trace the route', type: 'boolean', default: false },
    ],
    defaultTimeoutSeconds: 180,
    body: String.raw`$ErrorActionPreference = 'Stop'
$target = "$env:PARAM_HOST"
if ($target -notmatch '^[A-Za-z0-9.:-]{1,253}$') { [Console]::Error.WriteLine('error: HOST must be a host name or IP address'); exit 2 }
$port = 0
if (-not [int]::TryParse("$env:PARAM_PORT", [ref]$port) -or $port -lt 0 -or $port -gt 65535) { [Console]::Error.WriteLine('error: PORT must be 0-65535'); exit 2 }
$options = @{ ComputerName = $target; InformationLevel = 'Detailed'; WarningAction = 'SilentlyContinue' }
if ($port -gt 0) { $options.Port = $port }
$r = Test-NetConnection @options
$r | Format-List | Out-String -Width 200
if ($env:PARAM_TRACE -eq 'true') {
  # -TraceRoute belongs to the ICMP parameter set: it cannot be combined with -Port.
  $hop = 0
  'Route to ' + $target
  (Test-NetConnection -ComputerName $target -TraceRoute -WarningAction SilentlyContinue).TraceRoute | ForEach-Object { $hop++; '{0,3}  {1}' -f $hop, $_ }
}
$ok = if ($port -gt 0) { $r.TcpTestSucceeded } else { $r.PingSucceeded }
if (-not $ok) { exit 1 }
`,
  },
  {
    slug: 'windows-network-config',
    name: 'Network configuration (Windows)',
    description: 'IP configuration of every connected adapter: addresses, gateways, DNS servers, DHCP and link speed.',
    category: 'network',
    platforms: ['windows'],
    tags: ['dns', 'inventory'],
    version: 1,
    interpreter: 'powershell',
    params: [{ name: 'INCLUDE_DISCONNECTED', label: 'Include disconnected adapters', type: 'boolean', default: false }],
    defaultTimeoutSeconds: 60,
    body: String.raw`$ErrorActionPreference = 'Stop'
$configs = Get-NetIPConfiguration -Detailed -All:($env:PARAM_INCLUDE_DISCONNECTED -eq 'true')
foreach ($c in $configs) {
  [pscustomobject]@{
    Adapter = $c.InterfaceAlias
    Status  = $c.NetAdapter.Status
    Speed   = $c.NetAdapter.LinkSpeed
    MAC     = $c.NetAdapter.MacAddress
    DHCP    = $c.NetIPv4Interface.Dhcp
    IPv4    = ($c.IPv4Address.IPAddress -join ', ')
    IPv6    = ($c.IPv6Address.IPAddress -join ', ')
    Gateway = ($c.IPv4DefaultGateway.NextHop -join ', ')
    DNS     = ($c.DNSServer.ServerAddresses -join ', ')
  } | Format-List | Out-String -Width 200
}
`,
  },
];
