import type { CatalogEntry } from '../entry';

// The security category's PowerShell scripts (bodies: see the note in ../maintenance.ts).
export const windowsSecurity: CatalogEntry[] = [
  {
    slug: 'windows-defender-status',
    name: 'Microsoft Defender status',
    description:
      'Real-time protection, engine and signature versions and ages, last scans and threats detected in the last 30 days. Exit 1 when protection is off or signatures are older than the limit, 3 when Defender is not available (another antivirus may be active).',
    category: 'security',
    platforms: ['windows'],
    tags: ['antivirus', 'monitoring'],
    version: 1,
    interpreter: 'powershell',
    params: [{ name: 'MAX_SIGNATURE_AGE_DAYS', label: 'Maximum signature age (days)', type: 'number', integer: true, min: 1, max: 90, default: 3 }],
    defaultTimeoutSeconds: 60,
    body: String.raw`$ErrorActionPreference = 'Stop'
$maxAge = 0
if (-not [int]::TryParse("$env:PARAM_MAX_SIGNATURE_AGE_DAYS", [ref]$maxAge) -or $maxAge -lt 1) { [Console]::Error.WriteLine('error: MAX_SIGNATURE_AGE_DAYS must be a whole number of at least 1'); exit 2 }
try { $s = Get-MpComputerStatus } catch { [Console]::Error.WriteLine("Microsoft Defender is not available: $_"); exit 3 }
$s | Select-Object AMRunningMode, AntivirusEnabled, RealTimeProtectionEnabled, BehaviorMonitorEnabled, IsTamperProtected, AMEngineVersion, AntivirusSignatureVersion, AntivirusSignatureLastUpdated, QuickScanEndTime, FullScanEndTime | Format-List | Out-String -Width 200
$problems = @()
if (-not $s.AntivirusEnabled) { $problems += 'antivirus is disabled' }
if (-not $s.RealTimeProtectionEnabled) { $problems += 'real-time protection is off' }
$age = ((Get-Date) - $s.AntivirusSignatureLastUpdated).TotalDays
if ($age -gt $maxAge) { $problems += ('signatures are {0:N0} days old' -f $age) }
$threats = @(Get-MpThreatDetection -ErrorAction SilentlyContinue | Where-Object { $_.InitialDetectionTime -gt (Get-Date).AddDays(-30) })
"$($threats.Count) threat detection(s) in the last 30 days"
$threats | Select-Object InitialDetectionTime, ThreatID, ActionSuccess, @{ n = 'Resources'; e = { $_.Resources -join '; ' } } | Format-Table -AutoSize -Wrap | Out-String -Width 240
if ($problems.Count) { '!! ' + ($problems -join '; '); exit 1 }
'Defender is healthy'
`,
  },
  {
    slug: 'windows-defender-scan',
    name: 'Microsoft Defender scan',
    description: 'Runs a Defender quick or full scan and reports what it found. Exit 1 when threats were detected during the scan, 3 when Defender is not available.',
    category: 'security',
    platforms: ['windows'],
    tags: ['antivirus'],
    version: 1,
    interpreter: 'powershell',
    params: [{ name: 'SCAN_TYPE', label: 'Scan', type: 'choice', options: ['QuickScan', 'FullScan'], default: 'QuickScan' }],
    defaultTimeoutSeconds: 7200,
    body: String.raw`$ErrorActionPreference = 'Stop'
$type = "$env:PARAM_SCAN_TYPE"
if ($type -notin 'QuickScan', 'FullScan') { [Console]::Error.WriteLine('error: SCAN_TYPE must be QuickScan or FullScan'); exit 2 }
if (-not (Get-Command Start-MpScan -ErrorAction SilentlyContinue)) { [Console]::Error.WriteLine('Microsoft Defender is not available on this machine'); exit 3 }
$started = Get-Date
"Starting $type at $started"
Start-MpScan -ScanType $type
$found = @(Get-MpThreatDetection -ErrorAction SilentlyContinue | Where-Object { $_.InitialDetectionTime -ge $started })
"$type finished after $([int]((Get-Date) - $started).TotalMinutes) minute(s): $($found.Count) threat(s) detected"
$found | Select-Object InitialDetectionTime, ThreatID, ActionSuccess, @{ n = 'Resources'; e = { $_.Resources -join '; ' } } | Format-Table -AutoSize -Wrap | Out-String -Width 240
if ($found.Count) { exit 1 }
`,
  },
  {
    slug: 'windows-bitlocker-status',
    name: 'BitLocker status',
    description: 'Encryption and protection state of every volume with its key protector types. Exit 1 when the system drive (or, when asked, any fixed drive) is not protected, 3 when BitLocker is not available on this edition.',
    category: 'security',
    platforms: ['windows'],
    tags: ['encryption', 'audit'],
    version: 1,
    interpreter: 'powershell',
    params: [{ name: 'REQUIRE_ALL_FIXED', label: 'Require every fixed drive', type: 'boolean', default: false }],
    defaultTimeoutSeconds: 60,
    body: String.raw`$ErrorActionPreference = 'Stop'
if (-not (Get-Command Get-BitLockerVolume -ErrorAction SilentlyContinue)) { [Console]::Error.WriteLine('BitLocker is not available on this edition of Windows'); exit 3 }
$volumes = Get-BitLockerVolume
$volumes | Select-Object MountPoint, VolumeType, VolumeStatus, ProtectionStatus, EncryptionPercentage, EncryptionMethod, @{ n = 'KeyProtectors'; e = { ($_.KeyProtector.KeyProtectorType | Sort-Object -Unique) -join ', ' } } |
  Format-Table -AutoSize | Out-String -Width 240
$required = if ($env:PARAM_REQUIRE_ALL_FIXED -eq 'true') { $volumes | Where-Object { $_.VolumeType -ne 'Removable' } } else { $volumes | Where-Object { $_.VolumeType -eq 'OperatingSystem' } }
$open = @($required | Where-Object { $_.ProtectionStatus -ne 'On' })
if ($open.Count) { '!! not protected: ' + (($open | ForEach-Object { $_.MountPoint }) -join ', '); exit 1 }
'All required volumes are protected'
`,
  },
  {
    slug: 'windows-local-admins',
    name: 'Local administrators',
    description: 'Members of the local Administrators group (found by its well-known SID, so it works in every language), with their source (local, domain, Entra ID).',
    category: 'security',
    platforms: ['windows'],
    tags: ['accounts', 'audit'],
    version: 1,
    interpreter: 'powershell',
    params: [],
    defaultTimeoutSeconds: 60,
    body: String.raw`$ErrorActionPreference = 'Stop'
try {
  $members = Get-LocalGroupMember -SID 'S-1-5-32-544'
  $members | Select-Object Name, ObjectClass, PrincipalSource, SID | Format-Table -AutoSize | Out-String -Width 200
} catch {
  # Get-LocalGroupMember fails on groups holding orphaned SIDs; ADSI still lists them.
  $group = [ADSI]"WinNT://$env:COMPUTERNAME/$((New-Object Security.Principal.SecurityIdentifier 'S-1-5-32-544').Translate([Security.Principal.NTAccount]).Value.Split('\')[1]),group"
  $group.Invoke('Members') | ForEach-Object { $_.GetType().InvokeMember('ADsPath', 'GetProperty', $null, $_, $null) }
}
`,
  },
  {
    slug: 'windows-set-local-password',
    name: 'Set a local user\'s password',
    description:
      'Sets the password of a local account (the value is a secret: masked in history, audit and output) and optionally enables the account. Exit 1 when the account does not exist, 2 on invalid input.',
    category: 'security',
    platforms: ['windows'],
    tags: ['accounts'],
    version: 1,
    interpreter: 'powershell',
    params: [
      { name: 'USERNAME', label: 'Local user', type: 'string', required: true, maxLength: 20, pattern: '[A-Za-z0-9._ -]+' },
      { name: 'PASSWORD', label: 'New password', type: 'secret', required: true },
      { name: 'ENABLE', label: 'Enable the account', type: 'boolean', default: false },
    ],
    defaultTimeoutSeconds: 60,
    body: String.raw`$ErrorActionPreference = 'Stop'
$user = "$env:PARAM_USERNAME"
if ($user -notmatch '^[A-Za-z0-9._ -]{1,20}$') { [Console]::Error.WriteLine('error: USERNAME must be a local account name'); exit 2 }
if (("$env:PARAM_PASSWORD").Length -lt 8) { [Console]::Error.WriteLine('error: PASSWORD must have at least 8 characters'); exit 2 }
$account = Get-LocalUser -Name $user -ErrorAction SilentlyContinue
if (-not $account) { [Console]::Error.WriteLine("no local user named $user"); exit 1 }
$secure = ConvertTo-SecureString -String $env:PARAM_PASSWORD -AsPlainText -Force
Set-LocalUser -Name $user -Password $secure
if ($env:PARAM_ENABLE -eq 'true' -and -not $account.Enabled) { Enable-LocalUser -Name $user; "enabled $user" }
"password of $user set"
`,
  },
  {
    slug: 'windows-firewall-status',
    name: 'Windows Firewall status',
    description: 'State and default actions of the Domain, Private and Public firewall profiles and the active network\'s profile. Exit 1 when any profile is disabled.',
    category: 'security',
    platforms: ['windows'],
    tags: ['firewall', 'audit'],
    version: 1,
    interpreter: 'powershell',
    params: [],
    defaultTimeoutSeconds: 60,
    body: String.raw`$ErrorActionPreference = 'Stop'
$profiles = Get-NetFirewallProfile
$profiles | Select-Object Name, Enabled, DefaultInboundAction, DefaultOutboundAction, LogBlocked, LogFileName | Format-Table -AutoSize | Out-String -Width 200
Get-NetConnectionProfile -ErrorAction SilentlyContinue | Select-Object InterfaceAlias, Name, NetworkCategory | Format-Table -AutoSize | Out-String -Width 200
$off = @($profiles | Where-Object { -not $_.Enabled })
if ($off.Count) { '!! disabled: ' + (($off | ForEach-Object { $_.Name }) -join ', '); exit 1 }
'All firewall profiles are enabled'
`,
  },
];
