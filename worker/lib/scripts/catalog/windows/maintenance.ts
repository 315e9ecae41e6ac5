import type { CatalogEntry } from '../entry';

// The maintenance category's PowerShell scripts (bodies: see the note in ../maintenance.ts).
export const windowsMaintenance: CatalogEntry[] = [
  {
    slug: 'windows-disk-cleanup',
    name: 'Windows disk cleanup',
    description:
      'Removes files older than N days from the Windows temp folder, the Windows Update download cache and (optionally) every user\'s temp folder. Dry run by default: reports what it would free. Files in use are skipped. Exit 2 on invalid input.',
    category: 'maintenance',
    platforms: ['windows'],
    tags: ['disk', 'cleanup'],
    version: 1,
    interpreter: 'powershell',
    params: [
      { name: 'DAYS', label: 'Older than (days)', type: 'number', integer: true, min: 1, max: 3650, default: 7 },
      { name: 'INCLUDE_USER_TEMP', label: 'Include users\' temp folders', type: 'boolean', default: true },
      { name: 'DRY_RUN', label: 'Dry run (only report)', type: 'boolean', default: true },
    ],
    defaultTimeoutSeconds: 1800,
    body: String.raw`$ErrorActionPreference = 'Stop'
$days = 0
if (-not [int]::TryParse("$env:PARAM_DAYS", [ref]$days) -or $days -lt 1) { [Console]::Error.WriteLine('error: DAYS must be a whole number of at least 1'); exit 2 }
$dryRun = $env:PARAM_DRY_RUN -ne 'false'
$cutoff = (Get-Date).AddDays(-$days)
$roots = @((Join-Path $env:SystemRoot 'Temp'), (Join-Path $env:SystemRoot 'SoftwareDistribution\Download'))
if ($env:PARAM_INCLUDE_USER_TEMP -ne 'false') {
  $profiles = Get-CimInstance Win32_UserProfile | Where-Object { -not $_.Special -and $_.LocalPath }
  $roots += $profiles | ForEach-Object { Join-Path $_.LocalPath 'AppData\Local\Temp' }
}
$total = 0; $count = 0; $skipped = 0
foreach ($root in $roots) {
  if (-not (Test-Path -LiteralPath $root)) { continue }
  $files = Get-ChildItem -LiteralPath $root -File -Recurse -Force -ErrorAction SilentlyContinue | Where-Object { $_.LastWriteTime -lt $cutoff }
  $size = ($files | Measure-Object -Property Length -Sum).Sum
  if (-not $size) { $size = 0 }
  foreach ($f in $files) {
    if ($dryRun) { $count++; continue }
    try { Remove-Item -LiteralPath $f.FullName -Force; $count++ } catch { $skipped++; $size -= $f.Length }
  }
  $total += $size
  '{0,10:N1} MiB  {1}' -f ($size / 1MB), $root
}
$verb = if ($dryRun) { 'would free' } else { 'freed' }
'{0} file(s) older than {1} day(s): {2} {3:N1} MiB ({4} in use, skipped){5}' -f $count, $days, $verb, ($total / 1MB), $skipped, $(if ($dryRun) { ' - dry run, nothing removed' } else { '' })
`,
  },
  {
    slug: 'windows-clear-print-spooler',
    name: 'Clear a stuck print spooler',
    description:
      'Stops the Print Spooler, deletes every queued job file and starts it again: the fix for a print queue that will not move. Dry run by default: lists the queued jobs only. Exit 1 when the spooler does not come back.',
    category: 'maintenance',
    platforms: ['windows'],
    tags: ['printing', 'services'],
    version: 1,
    interpreter: 'powershell',
    params: [{ name: 'DRY_RUN', label: 'Dry run (only list jobs)', type: 'boolean', default: true }],
    defaultTimeoutSeconds: 120,
    body: String.raw`$ErrorActionPreference = 'Stop'
$queue = Join-Path $env:SystemRoot 'System32\spool\PRINTERS'
$jobs = @(Get-ChildItem -LiteralPath $queue -File -Force -ErrorAction SilentlyContinue)
"$($jobs.Count) spooled file(s) in $queue"
$jobs | ForEach-Object { '  {0}  {1:N0} KiB  {2}' -f $_.LastWriteTime, ($_.Length / 1KB), $_.Name }
if ($env:PARAM_DRY_RUN -ne 'false') { 'dry run: would stop Spooler, delete these files and start it again'; exit 0 }
Stop-Service -Name Spooler -Force
$jobs | Remove-Item -Force
Start-Service -Name Spooler
$svc = Get-Service -Name Spooler
$svc.WaitForStatus('Running', [TimeSpan]::FromSeconds(30))
"Spooler is $($svc.Status); $($jobs.Count) file(s) removed"
if ($svc.Status -ne 'Running') { exit 1 }
`,
  },
  {
    slug: 'windows-reset-windows-update',
    name: 'Reset Windows Update components',
    description:
      'The classic repair for a stuck Windows Update: stops wuauserv, BITS, cryptsvc and msiserver, renames SoftwareDistribution and catroot2 aside (kept as .bak-<date>), and starts the services again. Dry run by default. Exit 1 when a service does not start again.',
    category: 'maintenance',
    platforms: ['windows'],
    tags: ['updates', 'repair'],
    version: 1,
    interpreter: 'powershell',
    params: [{ name: 'DRY_RUN', label: 'Dry run (only report)', type: 'boolean', default: true }],
    defaultTimeoutSeconds: 300,
    body: String.raw`$ErrorActionPreference = 'Stop'
$services = 'wuauserv', 'bits', 'cryptsvc', 'msiserver'
$folders = (Join-Path $env:SystemRoot 'SoftwareDistribution'), (Join-Path $env:SystemRoot 'System32\catroot2')
Get-Service -Name $services | Format-Table -AutoSize Name, Status, StartType | Out-String -Width 200
if ($env:PARAM_DRY_RUN -ne 'false') {
  'dry run: would stop ' + ($services -join ', ') + ', rename ' + ($folders -join ' and ') + ' aside and start the services again'
  exit 0
}
$stamp = Get-Date -Format 'yyyyMMdd-HHmmss'
Stop-Service -Name $services -Force
foreach ($f in $folders) {
  if (Test-Path -LiteralPath $f) { Rename-Item -LiteralPath $f -NewName ((Split-Path $f -Leaf) + '.bak-' + $stamp); "renamed $f" }
}
$failed = 0
foreach ($s in $services) {
  try { Start-Service -Name $s } catch { if ($s -ne 'msiserver') { $failed++; [Console]::Error.WriteLine("could not start $($s): $_") } }
}
Get-Service -Name $services | Format-Table -AutoSize Name, Status | Out-String -Width 200
if ($failed) { exit 1 }
'Windows Update components reset'
`,
  },
  {
    slug: 'windows-restart-service',
    name: 'Restart a Windows service',
    description:
      'Restarts a Windows service (with its dependants) by service name and waits until it runs. Exit 1 when the service does not exist or is not running afterwards, 2 on an invalid name.',
    category: 'maintenance',
    platforms: ['windows'],
    tags: ['services'],
    version: 1,
    interpreter: 'powershell',
    params: [
      { name: 'SERVICE', label: 'Service name', type: 'string', required: true, maxLength: 100, pattern: '[A-Za-z0-9_.$-]+', description: 'The short name, for example Spooler or wuauserv.' },
      { name: 'WAIT_SECONDS', label: 'Wait for running (s)', type: 'number', integer: true, min: 1, max: 600, default: 30 },
    ],
    defaultTimeoutSeconds: 660,
    body: String.raw`$ErrorActionPreference = 'Stop'
$name = "$env:PARAM_SERVICE"
if ($name -notmatch '^[A-Za-z0-9_.$-]{1,100}$') { [Console]::Error.WriteLine('error: SERVICE must be a service name'); exit 2 }
$wait = 30
if ($env:PARAM_WAIT_SECONDS -and -not [int]::TryParse($env:PARAM_WAIT_SECONDS, [ref]$wait)) { [Console]::Error.WriteLine('error: WAIT_SECONDS must be a whole number'); exit 2 }
$svc = Get-Service -Name $name -ErrorAction SilentlyContinue
if (-not $svc) { [Console]::Error.WriteLine("no such service: $name"); exit 1 }
"$($svc.DisplayName) ($name) is $($svc.Status); restarting"
Restart-Service -Name $name -Force
try { $svc.WaitForStatus('Running', [TimeSpan]::FromSeconds($wait)) } catch { }
$svc.Refresh()
"$name is $($svc.Status)"
if ($svc.Status -ne 'Running') { exit 1 }
`,
  },
];
