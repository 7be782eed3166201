import { lstat, readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { ConventionFile } from '../domain/records';
import { ConventionsSource } from './ports';

/** Files larger than this are listed with a note instead of their content. */
const MAX_FILE_BYTES = 512 * 1024;

/**
 * A repository's conventions as its agents should read them: the root `AGENTS.md` and every
 * file under `.horizon/`, sorted by path. Symbolic links are skipped, so a link in the
 * repository cannot make this read outside it.
 */
export class WorkspaceConventions implements ConventionsSource {
  async read(root: string): Promise<ConventionFile[]> {
    const files: ConventionFile[] = [];
    const agents = await readRegular(root, join(root, 'AGENTS.md'));
    if (agents) files.push(agents);
    files.push(...(await walk(root, join(root, '.horizon'))));
    return files;
  }
}

async function walk(root: string, dir: string): Promise<ConventionFile[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const out: ConventionFile[] = [];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await walk(root, path)));
    else if (entry.isFile()) {
      const file = await readRegular(root, path);
      if (file) out.push(file);
    }
  }
  return out;
}

async function readRegular(root: string, path: string): Promise<ConventionFile | undefined> {
  let stat;
  try {
    stat = await lstat(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  if (!stat.isFile()) return undefined;
  const rel = relative(root, path);
  if (stat.size > MAX_FILE_BYTES)
    return { path: rel, content: `(${stat.size} bytes: too large to serve; read it in the workspace)` };
  const content = await readFile(path);
  if (content.includes(0)) return { path: rel, content: `(binary file, ${stat.size} bytes)` };
  return { path: rel, content: content.toString('utf8') };
}
