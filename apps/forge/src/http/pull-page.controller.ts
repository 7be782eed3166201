import { Controller, Get, Header, Param, UseFilters, UseGuards } from '@nestjs/common';
import { PullRequestService } from '../application/pull-request.service';
import { ReviewService } from '../application/review.service';
import { ForgeErrorFilter, ForgeTokenGuard, parseNumber } from './http-support';

/**
 * `GET /<owner>/<name>/pull/<n>`: what a pull request's `htmlUrl` opens: a plain-text page
 * (state, labels, reviews, conversation, diff). A browser asks for the token as a Basic password.
 */
@Controller()
@UseGuards(ForgeTokenGuard)
@UseFilters(ForgeErrorFilter)
export class PullPageController {
  constructor(
    private readonly pulls: PullRequestService,
    private readonly conversation: ReviewService,
  ) {}

  @Get(':owner/:name/pull/:number')
  @Header('content-type', 'text/plain; charset=utf-8')
  async page(@Param('owner') owner: string, @Param('name') name: string, @Param('number') raw: string) {
    const number = parseNumber(raw, 'pull request');
    const [pr, reviews, comments, diff] = await Promise.all([
      this.pulls.detail(owner, name, number),
      this.conversation.reviewsOf(owner, name, number),
      this.conversation.commentsOf(owner, name, number),
      this.pulls.diff(owner, name, number),
    ]);
    const state = pr.merged ? `merged by ${pr.mergedBy} (${pr.mergeCommitSha})` : pr.state;
    return [
      `${owner}/${name}#${pr.number}  ${pr.title}`,
      `${pr.author} wants to merge ${pr.headRef} (${pr.headSha.slice(0, 12)}) into ${pr.baseRef}: ${state}`,
      ...(pr.labels.length ? [`labels: ${pr.labels.map((l) => l.name).join(', ')}`] : []),
      pr.body ? `\n${pr.body}` : '',
      ...reviews.map((r) => `\n[review ${r.id}] ${r.author} ${r.state}${r.body ? `: ${r.body}` : ''}`),
      ...comments.map(
        (c) =>
          `\n[comment ${c.id}] ${c.author}${c.path ? ` on ${c.path}${c.line ? `:${c.line}` : ''}` : ''}: ${c.body}`,
      ),
      `\n${diff}`,
    ].join('\n');
  }
}
