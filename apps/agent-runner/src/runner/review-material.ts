import { rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { mkdir } from 'node:fs/promises';

/** Where a repository tells reviewers (and the review agent) what it expects, in this order. */
export const reviewInstructionFiles = ['AGENTS.md', '.horizon/review.md'] as const;

/**
 * The review instructions as the base branch has them (`show` reads a file at the base, null
 * when absent), also written over the head's checkout: the harness reads `AGENTS.md` from the
 * working tree by itself, and a pull request must not rewrite the rules it is reviewed by (the
 * diff still shows the change to them).
 */
export async function pinReviewMaterial(
  workdir: string,
  show: (file: string) => Promise<string | null>,
): Promise<{ file: string; text: string }[]> {
  const found: { file: string; text: string }[] = [];
  for (const file of reviewInstructionFiles) {
    const text = await show(file);
    const path = join(workdir, file);
    if (text === null) {
      await rm(path, { force: true });
      continue;
    }
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, text);
    if (text.trim()) found.push({ file, text });
  }
  return found;
}
