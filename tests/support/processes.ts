import { readFileSync } from 'node:fs';

/** Running, not merely a zombie waiting to be reaped (an orphan's new parent may never reap it). */
export function isAlive(pid: number): boolean {
  try {
    const state = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0];
    return state !== undefined && state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

/** The postmaster's pid, from the first line of its postmaster.pid in the cluster directory. */
export const postmasterPid = (clusterDir: string) =>
  Number(readFileSync(`${clusterDir}/postmaster.pid`, 'utf8').split('\n')[0]);
