import { execFile } from 'node:child_process';
import { isAbsolute, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { RepositoryRemote } from '../application/ports';

const execFileAsync = promisify(execFile);

/**
 * Repositories read with the host's git: over HTTP(S) from a forge (with a token as the URL's
 * user info, which git keeps out of the clone's config and reflog), or from local paths.
 */
export class GitRemote implements RepositoryRemote {
  constructor(readonly sourceFor: (repo: string) => string) {}

  /** `https://github.com` → `https://x-access-token:<token>@github.com/<owner>/<name>.git`; a folder → `<folder>/<owner>/<name>.git`. */
  static forge(base: string, token?: string): GitRemote {
    if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(base)) {
      const root = isAbsolute(base) ? base : resolve(base);
      return new GitRemote((repo) => `${root}/${repo}.git`);
    }
    return new GitRemote((repo) => {
      const url = new URL(`${base.replace(/\/$/, '')}/${repo}.git`);
      if (token && /^https?:$/.test(url.protocol)) {
        url.username = 'x-access-token';
        url.password = token;
      }
      return url.toString();
    });
  }

  /** One repository at a fixed place, whatever it is called (the operator command's `--repo`). */
  static single(source: string): GitRemote {
    return new GitRemote(() => source);
  }

  async resolve(repo: string, ref: string): Promise<string | null> {
    if (/^[0-9a-f]{40}$/.test(ref)) return ref;
    const stdout = await hostGit(['ls-remote', '--', this.sourceFor(repo), ref], `git ls-remote of ${repo}`);
    const lines = stdout
      .split('\n')
      .filter(Boolean)
      .map((line) => line.split('\t') as [string, string]);
    const wanted = ref === 'HEAD' ? ['HEAD'] : [ref, `refs/heads/${ref}`, `refs/tags/${ref}`];
    return lines.find(([, name]) => wanted.includes(name))?.[0] ?? null;
  }
}

/**
 * Runs the host's git without ever prompting for credentials. A failure is `<what> failed: <git's
 * message>`, redacted: the arguments may hold a source URL with its token.
 */
export async function hostGit(
  args: readonly string[],
  what: string,
  options: { timeoutMs?: number } = {},
): Promise<string> {
  try {
    const { stdout } = await execFileAsync('git', args, {
      env: { ...process.env, GIT_TERMINAL_PROMPT: '0' },
      timeout: options.timeoutMs ?? 60_000,
      maxBuffer: 16 * 1024 * 1024,
    });
    return stdout;
  } catch (error) {
    const failure = error as Error & { stderr?: string };
    throw new Error(`${what} failed: ${redact(failure.stderr || failure.message)}`);
  }
}

/** Masks user info in URLs (`https://user:token@host` → `https://***@host`). */
export function redact(text: string): string {
  return text.replace(/\/\/[^/@\s]*@/g, '//***@').trim();
}
