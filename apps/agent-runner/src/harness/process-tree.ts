import { readdirSync, readFileSync } from 'node:fs';

interface ProcStat {
  pid: number;
  ppid: number;
  pgid: number;
  state: string;
}

/** Reads /proc/<pid>/stat; undefined once the process is gone. */
function stat(pid: number): ProcStat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name sits in parentheses and may contain spaces: fields follow the last ')'.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { pid, state: fields[0]!, ppid: Number(fields[1]), pgid: Number(fields[2]) };
  } catch {
    return undefined;
  }
}

/**
 * Every live descendant of `pid`, found through /proc (Linux). OpenCode starts each shell
 * command in a process group of its own, so signalling OpenCode's group alone would leave
 * the agent's commands running, and once OpenCode is dead they can no longer be found.
 */
export function descendantsOf(pid: number): ProcStat[] {
  const all = readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map((name) => stat(Number(name)))
    .filter((s): s is ProcStat => s !== undefined);
  const found: ProcStat[] = [];
  let parents = new Set([pid]);
  while (parents.size > 0) {
    const children = all.filter((s) => parents.has(s.ppid));
    found.push(...children);
    parents = new Set(children.map((s) => s.pid));
  }
  return found;
}

/** True while the process exists and is not a zombie waiting to be reaped. */
export function isRunning(pid: number): boolean {
  const s = stat(pid);
  return s !== undefined && s.state !== 'Z';
}
