import { readFileSync } from 'node:fs';

/**
 * Whether a process of this machine is still running (one we may not signal still counts).
 * `startedBy` (ms since epoch, optional): the process we mean was already running then. A pid
 * the system has since given to a newer process is then not taken for it: a run's claims live as
 * long as its process, so a dead run's pid reused by anything else would keep them forever.
 * Where a process's start time cannot be read (not Linux), the pid alone decides.
 */
export function isProcessAlive(pid: number, startedBy?: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  if (startedBy === undefined) return true;
  const started = processStartMs(pid);
  // Boot time is in whole seconds and start times in ticks: a little slack.
  return started === undefined || started <= startedBy + START_SLACK_MS;
}

const START_SLACK_MS = 2000;
/** Linux's clock ticks per second for `/proc` times (USER_HZ, 100 on every Linux Node runs on). */
const TICKS_PER_SECOND = 100;

/** When a process of this machine started (ms since epoch), from Linux's `/proc`; undefined elsewhere. */
export function processStartMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: fields are counted after its last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[19]); // field 22, starttime: ticks since boot
    const boot = /^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'))?.[1];
    if (!Number.isFinite(ticks) || boot === undefined) return undefined;
    return Number(boot) * 1000 + (ticks * 1000) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}
