import type { CatalogEntry } from '../entry';

// The diagnostics category's PowerShell scripts (bodies: see the note in ../maintenance.ts).
export const windowsDiagnostics: CatalogEntry[] = [
  {
    slug: 'windows-event-log-errors',
    name: 'Event log errors',
    description: 'Critical and error events of the System and/or Application log from the last N hours, newest first. Exit 2 on invalid input.',
    category: 'diagnostics',
    platforms: ['windows'],
    tags: ['logs'],
    version: 1,
    interpreter: 'powershell',
    params: [
      { name: 'HOURS', label: 'Last hours', type: 'number', integer: true, min: 1, max: 720, default: 24 },
      { name: 'LOG', label: 'Log', type: 'choice', options: ['System', 'Application', 'Both'], default: 'Both' },
      { name: 'MAX_EVENTS', label: 'At most events', type: 'number', integer: true, min: 1, max: 1000, default: 100 },
    ],
    defaultTimeoutSeconds: 120,
    body: String.raw`$ErrorActionPreference = 'Stop'
$hours = 0; $max = 0
if (-not [int]::TryParse("$env:PARAM_HOURS", [ref]$hours) -or $hours -lt 1) { [Console]::Error.WriteLine('error: HOURS must be a whole number of at least 1'); exit 2 }
if (-not [int]::TryParse("$env:PARAM_MAX_EVENTS", [ref]$max) -or $max -lt 1) { [Console]::Error.WriteLine('error: MAX_EVENTS must be a whole number of at least 1'); exit 2 }
$logs = switch ("$env:PARAM_LOG") { 'System' { @('System') } 'Application' { @('Application') } 'Both' { @('System', 'Application') } default { [Console]::Error.WriteLine('error: LOG must be System, Application or Both'); exit 2 } }
$filter = @{ LogName = $logs; Level = 1, 2; StartTime = (Get-Date).AddHours(-$hours) }
$events = @(Get-WinEvent -FilterHashtable $filter -MaxEvents $max -ErrorAction SilentlyContinue)
"$($events.Count) error event(s) in $($logs -join ' and ') in the last $hours hours"
$events | Select-Object TimeCreated, LogName, Id, ProviderName, @{ n = 'Message'; e = { ($_.Message -split '\r?\n')[0] } } |
  Format-Table -AutoSize -Wrap | Out-String -Width 240
`,
  },
  {
    slug: 'windows-pending-reboot',
    name: 'Pending reboot check',
    description:
      'Checks the places Windows records a pending restart: Component Based Servicing, Windows Update, pending file renames and a pending computer rename. Exit 1 when a restart is pending (usable as a monitoring check).',
    category: 'diagnostics',
    platforms: ['windows'],
    tags: ['reboot', 'updates', 'monitoring'],
    version: 1,
    interpreter: 'powershell',
    params: [],
    defaultTimeoutSeconds: 60,
    body: String.raw`$ErrorActionPreference = 'Stop'
$reasons = @()
if (Test-Path 'HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\Component Based Servicing\RebootPending') { $reasons += 'Component Based Servicing' }
if (Test-Path 'HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\WindowsUpdate\Auto Update\RebootRequired') { $reasons += 'Windows Update' }
$sm = Get-ItemProperty -Path 'HKLM:\SYSTEM\CurrentControlSet\Control\Session Manager' -Name PendingFileRenameOperations -ErrorAction SilentlyContinue
if ($sm -and $sm.PendingFileRenameOperations) { $reasons += 'pending file rename operations' }
$active = (Get-ItemProperty 'HKLM:\SYSTEM\CurrentControlSet\Control\ComputerName\ActiveComputerName').ComputerName
$pending = (Get-ItemProperty 'HKLM:\SYSTEM\CurrentControlSet\Control\ComputerName\ComputerName').ComputerName
if ($active -ne $pending) { $reasons += "computer rename ($active -> $pending)" }
$boot = (Get-CimInstance Win32_OperatingSystem).LastBootUpTime
"Last boot: $boot"
if ($reasons.Count) { 'Reboot pending: ' + ($reasons -join ', '); exit 1 }
'No reboot pending'
`,
  },
  {
    slug: 'windows-scheduled-tasks',
    name: 'Scheduled tasks',
    description: 'Lists scheduled tasks with their state, last run, last result and next run; Microsoft\'s own tasks only when asked. Useful to spot persistence and failing jobs.',
    category: 'diagnostics',
    platforms: ['windows'],
    tags: ['tasks', 'security'],
    version: 1,
    interpreter: 'powershell',
    params: [{ name: 'INCLUDE_MICROSOFT', label: 'Include \\Microsoft\\ tasks', type: 'boolean', default: false }],
    defaultTimeoutSeconds: 120,
    body: String.raw`$ErrorActionPreference = 'Stop'
$tasks = Get-ScheduledTask
if ($env:PARAM_INCLUDE_MICROSOFT -ne 'true') { $tasks = $tasks | Where-Object { $_.TaskPath -notlike '\Microsoft\*' } }
$rows = foreach ($t in $tasks) {
  $info = $t | Get-ScheduledTaskInfo -ErrorAction SilentlyContinue
  [pscustomobject]@{
    Task       = $t.TaskPath + $t.TaskName
    State      = $t.State
    RunAs      = $t.Principal.UserId
    LastRun    = $info.LastRunTime
    LastResult = '0x{0:X}' -f $info.LastTaskResult
    NextRun    = $info.NextRunTime
    Action     = ($t.Actions | ForEach-Object { ($_.Execute + ' ' + $_.Arguments).Trim() }) -join '; '
  }
}
"$(@($rows).Count) task(s)"
$rows | Sort-Object Task | Format-Table -AutoSize -Wrap | Out-String -Width 300
`,
  },
];
