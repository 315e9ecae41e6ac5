/*
 * /proc/diskstats counts every block device, including partitions, device-mapper and md
 * devices stacked on the same disks: summing all of them would count one write two or three
 * times. Only whole physical disks are summed.
 */
const WHOLE_DISK = /^(sd[a-z]+|hd[a-z]+|vd[a-z]+|xvd[a-z]+|nvme\d+n\d+|mmcblk\d+)$/;
/** The kernel reports sectors of 512 bytes here whatever the disk's real sector size. */
const SECTOR_BYTES = 512;

export function isWholeDisk(name: string): boolean {
  return WHOLE_DISK.test(name);
}

/** Total bytes read and written since boot across whole disks, or null with no disk at all. */
export function parseDiskstats(text: string): { readBytes: number; writeBytes: number } | null {
  let readBytes = 0;
  let writeBytes = 0;
  let disks = 0;
  for (const line of text.split('\n')) {
    // major minor name reads merged sectors_read ms writes merged sectors_written …
    const f = line.trim().split(/\s+/);
    if (f.length < 10 || !isWholeDisk(f[2])) continue;
    const read = Number(f[5]);
    const written = Number(f[9]);
    if (!Number.isFinite(read) || !Number.isFinite(written)) continue;
    readBytes += read * SECTOR_BYTES;
    writeBytes += written * SECTOR_BYTES;
    disks++;
  }
  return disks ? { readBytes, writeBytes } : null;
}
