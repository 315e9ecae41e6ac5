import type { CatalogEntry } from '../entry';

// The inventory category's PowerShell scripts (bodies: see the note in ../maintenance.ts).
export const windowsInventory: CatalogEntry[] = [
  {
    slug: 'windows-hardware-summary',
    name: 'Windows hardware summary',
    description: 'Manufacturer, model, serial number, BIOS, CPU, memory modules, disks and Windows version and build of a Windows machine.',
    category: 'inventory',
    platforms: ['windows'],
    tags: ['hardware', 'os'],
    version: 1,
    interpreter: 'powershell',
    params: [],
    defaultTimeoutSeconds: 120,
    body: String.raw`$ErrorActionPreference = 'Stop'
$cs = Get-CimInstance Win32_ComputerSystem
$bios = Get-CimInstance Win32_BIOS
$os = Get-CimInstance Win32_OperatingSystem
[pscustomobject]@{
  Computer     = $cs.Name
  Domain       = $cs.Domain
  Manufacturer = $cs.Manufacturer
  Model        = $cs.Model
  Serial       = $bios.SerialNumber
  BIOS         = "$($bios.SMBIOSBIOSVersion) ($($bios.ReleaseDate))"
  OS           = "$($os.Caption) $($os.Version) build $($os.BuildNumber)"
  Installed    = $os.InstallDate
  LastBoot     = $os.LastBootUpTime
  MemoryGiB    = [Math]::Round($cs.TotalPhysicalMemory / 1GB, 1)
} | Format-List | Out-String -Width 200
'== CPU'
Get-CimInstance Win32_Processor | Select-Object Name, NumberOfCores, NumberOfLogicalProcessors, MaxClockSpeed | Format-Table -AutoSize | Out-String -Width 200
'== Memory modules'
Get-CimInstance Win32_PhysicalMemory | Select-Object BankLabel, @{ n = 'GiB'; e = { $_.Capacity / 1GB } }, Speed, Manufacturer, PartNumber | Format-Table -AutoSize | Out-String -Width 200
'== Disks'
Get-PhysicalDisk -ErrorAction SilentlyContinue | Select-Object FriendlyName, MediaType, BusType, HealthStatus, @{ n = 'GiB'; e = { [Math]::Round($_.Size / 1GB) } }, SerialNumber | Format-Table -AutoSize | Out-String -Width 200
Get-CimInstance Win32_LogicalDisk -Filter 'DriveType=3' | Select-Object DeviceID, VolumeName, @{ n = 'SizeGiB'; e = { [Math]::Round($_.Size / 1GB, 1) } }, @{ n = 'FreeGiB'; e = { [Math]::Round($_.FreeSpace / 1GB, 1) } } | Format-Table -AutoSize | Out-String -Width 200
`,
  },
  {
    slug: 'windows-installed-software-csv',
    name: 'Installed software (CSV)',
    description: 'Every program listed under Add/Remove Programs (64- and 32-bit, machine-wide and the current user) as CSV on standard output, optionally filtered by name.',
    category: 'inventory',
    platforms: ['windows'],
    tags: ['export', 'packages'],
    version: 1,
    interpreter: 'powershell',
    params: [{ name: 'NAME_FILTER', label: 'Name contains (empty = all)', type: 'string', maxLength: 100, pattern: '[A-Za-z0-9 ._+()-]*' }],
    defaultTimeoutSeconds: 120,
    body: String.raw`$ErrorActionPreference = 'Stop'
$filter = "$env:PARAM_NAME_FILTER"
if ($filter -notmatch '^[A-Za-z0-9 ._+()-]*$') { [Console]::Error.WriteLine('error: NAME_FILTER may hold letters, digits, space and . _ + ( ) -'); exit 2 }
$keys = 'HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall\*', 'HKLM:\SOFTWARE\WOW6432Node\Microsoft\Windows\CurrentVersion\Uninstall\*', 'HKCU:\SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall\*'
$apps = Get-ItemProperty -Path $keys -ErrorAction SilentlyContinue |
  Where-Object { $_.DisplayName -and -not $_.SystemComponent -and -not $_.ParentKeyName } |
  Where-Object { -not $filter -or $_.DisplayName -like "*$filter*" } |
  Select-Object @{ n = 'Name'; e = { $_.DisplayName } }, @{ n = 'Version'; e = { $_.DisplayVersion } }, Publisher, InstallDate |
  Sort-Object Name, Version -Unique
$apps | ConvertTo-Csv -NoTypeInformation
`,
  },
  {
    slug: 'windows-local-users',
    name: 'Windows local accounts',
    description: 'Local user accounts with enabled state, last logon, password age and expiry, and whether each is a local administrator.',
    category: 'inventory',
    platforms: ['windows'],
    tags: ['accounts', 'audit'],
    version: 1,
    interpreter: 'powershell',
    params: [{ name: 'INCLUDE_DISABLED', label: 'Include disabled accounts', type: 'boolean', default: true }],
    defaultTimeoutSeconds: 60,
    body: String.raw`$ErrorActionPreference = 'Stop'
$admins = @(Get-LocalGroupMember -SID 'S-1-5-32-544' -ErrorAction SilentlyContinue | ForEach-Object { $_.SID.Value })
$users = Get-LocalUser
if ($env:PARAM_INCLUDE_DISABLED -eq 'false') { $users = $users | Where-Object Enabled }
$users | Select-Object Name, Enabled, @{ n = 'Admin'; e = { $admins -contains $_.SID.Value } }, LastLogon, PasswordLastSet, PasswordExpires, PasswordRequired, Description |
  Format-Table -AutoSize -Wrap | Out-String -Width 240
`,
  },
];
