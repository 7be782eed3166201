import { setTimeout as sleep } from 'node:timers/promises';
import { readFile } from 'node:fs/promises';
import { run } from './run';

export interface OverlayDirs {
  lower: string;
  upper: string;
  work: string;
  merged: string;
}

/** The option string cannot escape these, and the kernel would split on them. */
const unsafe = /[,:\\\s]/;

/**
 * Mounts the workspace: a per-sandbox upper layer over the read-only snapshot. Constant time
 * whatever the repository's size: nothing is copied until the sandbox writes it.
 */
export async function mountOverlay(dirs: OverlayDirs): Promise<void> {
  for (const path of Object.values(dirs)) {
    if (unsafe.test(path))
      throw new Error(`overlay path "${path}" contains a comma, colon, backslash or space`);
  }
  await run('mount', [
    '-t',
    'overlay',
    'overlay',
    '-o',
    `lowerdir=${dirs.lower},upperdir=${dirs.upper},workdir=${dirs.work}`,
    dirs.merged,
  ]);
}

export async function isMounted(path: string): Promise<boolean> {
  const mountinfo = await readFile('/proc/self/mountinfo', 'utf8');
  return mountinfo.split('\n').some((line) => line.split(' ')[4] === path);
}

export async function unmountOverlay(merged: string): Promise<void> {
  for (let attempt = 0; attempt < 40; attempt += 1) {
    if (!(await isMounted(merged))) return;
    // Busy only while the last killed processes are being reaped; then detach rather than leak.
    await run('umount', attempt < 20 ? [merged] : ['--lazy', merged]).catch(() => sleep(25));
  }
  throw new Error(`could not unmount ${merged}`);
}
