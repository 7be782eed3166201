import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunArtifact, RunJournal, RunJournalEntry } from '../application/ports';

/** The files a run may leave in `<artifactsDir>/<sandbox id>/`. */
export const artifactFiles: ReadonlyArray<Omit<RunArtifact, 'path' | 'sizeBytes'> & { name: string }> = [
  { kind: 'transcript', name: 'transcript.jsonl', contentType: 'application/x-ndjson' },
  { kind: 'verification_log', name: 'verification.log', contentType: 'text/plain' },
  { kind: 'egress_log', name: 'egress.jsonl', contentType: 'application/x-ndjson' },
];

/** Runs in flight as `run.json` next to their artifacts, which survive the process and the sandbox. */
export class FileRunJournal implements RunJournal {
  constructor(private readonly artifactsDir: string) {}

  async record(sandboxId: string, entry: RunJournalEntry): Promise<void> {
    const dir = join(this.artifactsDir, sandboxId);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await writeFile(join(dir, 'run.json'), JSON.stringify(entry), { mode: 0o600 });
  }

  async read(sandboxId: string): Promise<RunJournalEntry | null> {
    const text = await readFile(join(this.artifactsDir, sandboxId, 'run.json'), 'utf8').catch(() => null);
    return text ? (JSON.parse(text) as RunJournalEntry) : null;
  }

  artifacts(sandboxId: string): Promise<RunArtifact[]> {
    return listArtifacts(join(this.artifactsDir, sandboxId));
  }
}

/** The artifact files present in a sandbox's artifacts folder, with their sizes. */
export async function listArtifacts(dir: string): Promise<RunArtifact[]> {
  const found: RunArtifact[] = [];
  for (const { name, kind, contentType } of artifactFiles) {
    const path = join(dir, name);
    const info = await stat(path).catch(() => null);
    if (info?.isFile()) found.push({ kind, path, contentType, sizeBytes: info.size });
  }
  return found;
}
