import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { z } from 'zod';

/**
 * A YAML file of the repository's `.horizon/` read against its schema: every problem named by
 * its path in the file, in one error that names the file.
 */
export function parseRepoFile<S extends z.ZodType>(schema: S, file: string, text: string): z.infer<S> {
  const result = schema.safeParse(parse(text) ?? {});
  if (!result.success) {
    const issues = result.error.issues.map(
      (issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`,
    );
    throw new Error(`${file} is invalid: ${issues.join('; ')}`);
  }
  return result.data;
}

/** The file's text, or null when the repository has none. */
export async function readRepoFile(repoDir: string, file: string): Promise<string | null> {
  return readFile(join(repoDir, file), 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw error;
  });
}
