// Files this process holds open under a directory, from /proc/self/fd: how specs see the gateway's temp files
// (lib/spill-file.ts), which are unlinked at once and show as "<path> (deleted)".
import { readdirSync, readlinkSync } from 'node:fs';

export function openFilesUnder(dir: string): string[] {
  return readdirSync('/proc/self/fd')
    .map((fd) => {
      try {
        return readlinkSync(`/proc/self/fd/${fd}`);
      } catch {
        return ''; // closed while we looked
      }
    })
    .filter((target) => target.startsWith(dir));
}
