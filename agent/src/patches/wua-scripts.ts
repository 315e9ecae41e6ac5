/*
 * Windows Update Agent through its COM API (what the Settings app uses). The search covers
 * software updates not installed and not hidden; the install script takes the keys to
 * install as JSON in an environment variable, never spliced into the script text.
 */

export const WUA_SCAN_SCRIPT = String.raw`
$session = New-Object -ComObject Microsoft.Update.Session
$session.ClientApplicationID = 'Tether'
$searcher = $session.CreateUpdateSearcher()
$result = $searcher.Search("IsInstalled=0 and IsHidden=0 and Type='Software'")
$updates = @()
foreach ($u in $result.Updates) {
  $changed = $null
  try { $changed = $u.LastDeploymentChangeTime.ToUniversalTime().ToString('o') } catch { }
  $updates += [pscustomobject]@{
    Title = $u.Title
    KBArticleIDs = @($u.KBArticleIDs)
    MsrcSeverity = $u.MsrcSeverity
    Categories = @($u.Categories | ForEach-Object { $_.Name })
    CveIDs = @($u.CveIDs)
    RebootRequired = ($u.InstallationBehavior.RebootBehavior -ne 0)
    MaxDownloadSize = [int64]$u.MaxDownloadSize
    LastDeploymentChangeTime = $changed
    UpdateID = $u.Identity.UpdateID
  }
}
$reboot = (New-Object -ComObject Microsoft.Update.SystemInfo).RebootRequired
[pscustomobject]@{ RebootRequired = $reboot; Updates = $updates } | ConvertTo-Json -Depth 4 -Compress
`;

/** Environment variable carrying the keys (["wua:KB5031356", "wua:<UpdateID>"]) to install. */
export const WUA_KEYS_VAR = 'TETHER_WUA_KEYS';

/*
 * Windows PowerShell 5.1's ConvertFrom-Json passes a JSON array down the pipeline as one
 * object: @(... | ConvertFrom-Json) would be an array holding that array, and -contains
 * would never match a key. The parenthesised value cast to string[] is the keys themselves
 * on 5.1 and on PowerShell 7 alike.
 */
export const WUA_INSTALL_SCRIPT = String.raw`
$wanted = [string[]]($env:${WUA_KEYS_VAR} | ConvertFrom-Json)
$session = New-Object -ComObject Microsoft.Update.Session
$session.ClientApplicationID = 'Tether'
$searcher = $session.CreateUpdateSearcher()
$result = $searcher.Search("IsInstalled=0 and IsHidden=0 and Type='Software'")
$chosen = New-Object -ComObject Microsoft.Update.UpdateColl
$keys = @()
foreach ($u in $result.Updates) {
  $key = $null
  foreach ($kb in @($u.KBArticleIDs)) { if ($wanted -contains ('wua:KB' + $kb)) { $key = 'wua:KB' + $kb } }
  if (-not $key -and $wanted -contains ('wua:' + $u.Identity.UpdateID.ToLower())) { $key = 'wua:' + $u.Identity.UpdateID.ToLower() }
  if (-not $key -or $keys -contains $key) { continue }
  if (-not $u.EulaAccepted) { $u.AcceptEula() }
  [void]$chosen.Add($u)
  $keys += $key
}
$results = @()
$rebootRequired = $false
if ($chosen.Count -gt 0) {
  $downloader = $session.CreateUpdateDownloader()
  $downloader.Updates = $chosen
  [void]$downloader.Download()
  $installer = $session.CreateUpdateInstaller()
  $installer.Updates = $chosen
  $outcome = $installer.Install()
  $rebootRequired = $outcome.RebootRequired
  for ($i = 0; $i -lt $chosen.Count; $i++) {
    $r = $outcome.GetUpdateResult($i)
    $results += [pscustomobject]@{ Key = $keys[$i]; ResultCode = [int]$r.ResultCode; HResult = [int64]$r.HResult }
  }
}
[pscustomobject]@{ RebootRequired = $rebootRequired; Results = $results } | ConvertTo-Json -Depth 4 -Compress
`;
