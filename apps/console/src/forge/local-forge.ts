import {
  LocalForgeApiError,
  LocalForgeClient,
  LocalForgeTokenMissing,
  resolveLocalForgeToken,
  type CheckRun,
  type Comment,
  type PullRequestDetail,
  type Review,
} from '@horizon/local-forge-client';

/** The forge could not be asked: no token, or nothing answering at its URL. */
export class ForgeUnavailable extends Error {
  override readonly name = 'ForgeUnavailable';
}

/** The forge answered, and refused. */
export { LocalForgeApiError as ForgeRefusal };

export interface PullRequestRecord {
  pull: PullRequestDetail;
  reviews: Review[];
  comments: Comment[];
  checkRuns: CheckRun[];
  diff: string;
}

/**
 * The console's door to the local forge (docs/local-forge.md), over its HTTP API. The token is
 * `FORGE_TOKEN` or the file the forge writes on its first start, read per request (as the
 * notifier does) so a forge started after the console is found. Every change names the person
 * acting (`X-Forge-User`), so reviews and merges are theirs on the forge.
 */
export class LocalForge {
  constructor(private readonly options: { url: string; token: string | undefined; dataDir: string }) {}

  async read(owner: string, name: string, number: number): Promise<PullRequestRecord> {
    const forge = this.client();
    return this.call(async () => {
      const [pull, reviews, comments, diff] = await Promise.all([
        forge.pull(owner, name, number),
        forge.reviews(owner, name, number),
        forge.comments(owner, name, number),
        forge.diff(owner, name, number),
      ]);
      const checkRuns = await forge.checkRuns(owner, name, pull.headSha);
      return { pull, reviews, comments, checkRuns, diff };
    });
  }

  review(
    login: string,
    owner: string,
    name: string,
    number: number,
    input: { event: 'APPROVE' | 'REQUEST_CHANGES' | 'COMMENT'; body?: string },
  ): Promise<Review> {
    const forge = this.client(login);
    return this.call(() => forge.review(owner, name, number, input));
  }

  merge(login: string, owner: string, name: string, number: number, sha: string | undefined) {
    const forge = this.client(login);
    return this.call(() => forge.merge(owner, name, number, sha ? { sha } : {}));
  }

  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof LocalForgeApiError) throw err;
      throw new ForgeUnavailable(
        `the local forge at ${this.options.url} did not answer (${(err as Error).message}): start it with npm start, or set FORGE_URL`,
      );
    }
  }

  private client(user?: string): LocalForgeClient {
    return new LocalForgeClient({ baseUrl: this.options.url, token: this.token(), user });
  }

  private token(): string {
    try {
      return resolveLocalForgeToken(this.options.token, this.options.dataDir);
    } catch (err) {
      if (err instanceof LocalForgeTokenMissing) throw new ForgeUnavailable(err.message);
      throw err;
    }
  }
}
