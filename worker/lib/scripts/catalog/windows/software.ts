import type { CatalogEntry } from '../entry';

// The software category's PowerShell scripts (bodies: see the note in ../maintenance.ts).
export const windowsSoftware: CatalogEntry[] = [
  {
    slug: 'windows-winget-upgrades',
    name: 'Available winget upgrades',
    description: 'Lists the applications winget can upgrade (installs nothing). Finds winget even when running as SYSTEM. Exit 3 when winget (App Installer) is not present.',
    category: 'software',
    platforms: ['windows'],
    tags: ['updates', 'patching', 'winget'],
    version: 1,
    interpreter: 'powershell',
    params: [{ name: 'INCLUDE_UNKNOWN', label: 'Include apps of unknown version', type: 'boolean', default: false }],
    defaultTimeoutSeconds: 300,
    body: String.raw`$ErrorActionPreference = 'Stop'
$winget = (Get-Command winget.exe -ErrorAction SilentlyContinue).Source
if (-not $winget) {
  # As SYSTEM winget is not on PATH: it lives in the App Installer package folder.
  $winget = Get-ChildItem -Path (Join-Path $env:ProgramFiles 'WindowsApps\Microsoft.DesktopAppInstaller_*\winget.exe') -ErrorAction SilentlyContinue |
    Sort-Object LastWriteTime | Select-Object -Last 1 -ExpandProperty FullName
}
if (-not $winget) { [Console]::Error.WriteLine('winget (App Installer) is not installed'); exit 3 }
$arguments = @('upgrade', '--accept-source-agreements', '--disable-interactivity')
if ($env:PARAM_INCLUDE_UNKNOWN -eq 'true') { $arguments += '--include-unknown' }
[Console]::OutputEncoding = [Text.Encoding]::UTF8
& $winget @arguments
exit 0
`,
  },
  {
    slug: 'windows-update-history',
    name: 'Windows Update history',
    description: 'The most recent Windows Update installations with their result, plus the installed hotfixes. Exit 2 on invalid input.',
    category: 'software',
    platforms: ['windows'],
    tags: ['updates', 'patching'],
    version: 1,
    interpreter: 'powershell',
    params: [{ name: 'COUNT', label: 'How many', type: 'number', integer: true, min: 1, max: 500, default: 30 }],
    defaultTimeoutSeconds: 120,
    body: String.raw`$ErrorActionPreference = 'Stop'
$count = 0
if (-not [int]::TryParse("$env:PARAM_COUNT", [ref]$count) -or $count -lt 1) { [Console]::Error.WriteLine('error: COUNT must be a whole number of at least 1'); exit 2 }
$results = @{ 0 = 'NotStarted'; 1 = 'InProgress'; 2 = 'Succeeded'; 3 = 'SucceededWithErrors'; 4 = 'Failed'; 5 = 'Aborted' }
$searcher = (New-Object -ComObject Microsoft.Update.Session).CreateUpdateSearcher()
$total = $searcher.GetTotalHistoryCount()
'== Windows Update history (latest {0} of {1})' -f [Math]::Min($count, $total), $total
if ($total -gt 0) {
  $searcher.QueryHistory(0, [Math]::Min($count, $total)) | Where-Object { $_.Title } |
    Select-Object Date, @{ n = 'Result'; e = { $results[[int]$_.ResultCode] } }, Title | Format-Table -AutoSize -Wrap | Out-String -Width 240
}
'== Installed hotfixes'
Get-HotFix | Sort-Object InstalledOn -Descending | Select-Object -First $count HotFixID, Description, InstalledOn, InstalledBy | Format-Table -AutoSize | Out-String -Width 200
`,
  },
  {
    slug: 'windows-pending-updates',
    name: 'Pending Windows updates',
    description: 'Asks the Windows Update agent which applicable updates are not installed yet (searches only, installs nothing). Exit 1 when asked to fail on pending updates and there are some.',
    category: 'software',
    platforms: ['windows'],
    tags: ['updates', 'patching', 'monitoring'],
    version: 1,
    interpreter: 'powershell',
    params: [{ name: 'FAIL_IF_PENDING', label: 'Fail when updates are pending', type: 'boolean', default: false }],
    defaultTimeoutSeconds: 900,
    body: String.raw`$ErrorActionPreference = 'Stop'
$searcher = (New-Object -ComObject Microsoft.Update.Session).CreateUpdateSearcher()
$found = $searcher.Search("IsInstalled=0 and IsHidden=0 and Type='Software'").Updates
$rows = foreach ($u in $found) {
  [pscustomobject]@{ KB = ($u.KBArticleIDs | ForEach-Object { "KB$_" }) -join ','; Severity = $u.MsrcSeverity; Reboot = $u.RebootRequired; Title = $u.Title }
}
$rows | Format-Table -AutoSize -Wrap | Out-String -Width 240
"Pending updates: $($found.Count)"
if ($env:PARAM_FAIL_IF_PENDING -eq 'true' -and $found.Count -gt 0) { exit 1 }
`,
  },
];
