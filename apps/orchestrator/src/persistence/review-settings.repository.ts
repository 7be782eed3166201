import { Injectable } from '@nestjs/common';
import { defaultReviewSettings, type RepoReviewSettings } from '@horizon/contracts';
import type { Tx } from '@horizon/db';

/** Each repository's `review:` settings, as its newest default-branch snapshot declared them. */
@Injectable()
export class ReviewSettingsRepository {
  /** The defaults for a repository no snapshot has told about yet. */
  async of(tx: Tx, repo: string): Promise<RepoReviewSettings> {
    const row = await tx.repoReviewSettings.findUnique({ where: { repo } });
    return row
      ? { enabled: row.enabled, humanPullRequests: row.humanPullRequests, selfRevisions: row.selfRevisions }
      : defaultReviewSettings;
  }

  async save(tx: Tx, repo: string, commit: string, settings: RepoReviewSettings): Promise<void> {
    await tx.repoReviewSettings.upsert({
      where: { repo },
      create: { repo, commit, ...settings },
      update: { commit, ...settings },
    });
  }
}
