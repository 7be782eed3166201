import { Injectable } from '@nestjs/common';
import { verificationReport } from '@horizon/integrations-github';
import type { VerificationResult } from '@horizon/integrations-github';
import { ForgeEvents } from '../domain/events';
import { CheckRunRepository } from '../persistence/check-run.repository';
import { PullRequestRepository } from '../persistence/pull-request.repository';
import { ForgeTransactions } from '../persistence/transactions';
import { PullRequestFinder } from './pull-request-finder';

/** Check runs: a completed verification on a commit, announced for the pull requests at that head. */
@Injectable()
export class CheckRunService {
  constructor(
    private readonly finder: PullRequestFinder,
    private readonly checkRuns: CheckRunRepository,
    private readonly pulls: PullRequestRepository,
    private readonly transactions: ForgeTransactions,
    private readonly events: ForgeEvents,
  ) {}

  async create(
    owner: string,
    name: string,
    input: {
      headSha: string;
      name: string;
      results: VerificationResult[];
      conclusion?: 'success' | 'neutral' | 'failure';
      summary?: string;
    },
    user: string,
  ) {
    const repo = await this.finder.repository(owner, name);
    const report = input.conclusion
      ? { conclusion: input.conclusion, summary: input.summary ?? '' }
      : verificationReport(input.results);
    return this.transactions.run(async (tx) => {
      const run = await this.checkRuns.create(tx, {
        repositoryId: repo.id,
        headSha: input.headSha,
        name: input.name,
        conclusion: report.conclusion,
        summary: report.summary,
      });
      const pulls = await this.pulls.withHeadSha(tx, repo.id, input.headSha);
      const event = this.events.checkRun(
        repo,
        {
          id: run.id,
          name: run.name,
          conclusion: report.conclusion,
          headSha: run.headSha,
          pullRequestNumbers: pulls.map((p) => p.number),
        },
        user,
      );
      return { value: run, events: [event] };
    });
  }

  /** The check runs reported on a commit, oldest first (what a reviewer reads on the pull request). */
  async onCommit(owner: string, name: string, sha: string) {
    const repo = await this.finder.repository(owner, name);
    return this.checkRuns.onCommit(repo.id, sha);
  }
}
