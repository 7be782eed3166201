import {
  Body,
  Controller,
  Delete,
  Get,
  Header,
  HttpCode,
  Param,
  Patch,
  Post,
  Query,
  Req,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { CheckRunService } from '../application/check-run.service';
import { LabelService } from '../application/label.service';
import { PullRequestMerger } from '../application/pull-request-merger';
import { PullRequestService } from '../application/pull-request.service';
import { RepositoryService } from '../application/repository.service';
import { ReviewService } from '../application/review.service';
import { ActingUser, ForgeErrorFilter, ForgeTokenGuard, parseBody, parseNumber } from './http-support';
import {
  checkRunBody,
  commentBody,
  createPullBody,
  createRepositoryBody,
  labelsBody,
  mergeBody,
  pullStateQuery,
  reviewBody,
  reviewersBody,
  updatePullBody,
} from './request-schemas';

/** The local forge's REST API (docs/local-forge.md). Every route needs the forge token. */
@Controller('api/v1/repos')
@UseGuards(ForgeTokenGuard)
@UseFilters(ForgeErrorFilter)
export class ForgeApiController {
  constructor(
    private readonly repositories: RepositoryService,
    private readonly pulls: PullRequestService,
    private readonly conversation: ReviewService,
    private readonly merger: PullRequestMerger,
    private readonly checkRuns: CheckRunService,
    private readonly labels: LabelService,
    private readonly acting: ActingUser,
  ) {}

  @Post()
  createRepository(@Body() body: unknown) {
    return this.repositories.create(parseBody(createRepositoryBody, body));
  }

  @Get()
  listRepositories() {
    return this.repositories.list();
  }

  @Get(':owner/:name')
  repository(@Param('owner') owner: string, @Param('name') name: string) {
    return this.repositories.get(owner, name);
  }

  @Get(':owner/:name/branches')
  branches(@Param('owner') owner: string, @Param('name') name: string) {
    return this.repositories.branches(owner, name);
  }

  @Post(':owner/:name/pulls')
  createPull(
    @Param('owner') owner: string,
    @Param('name') name: string,
    @Body() body: unknown,
    @Req() req: FastifyRequest,
  ) {
    return this.pulls.create(owner, name, parseBody(createPullBody, body), this.acting.of(req));
  }

  @Get(':owner/:name/pulls')
  listPulls(@Param('owner') owner: string, @Param('name') name: string, @Query('state') state?: string) {
    return this.pulls.list(owner, name, parseBody(pullStateQuery, state));
  }

  @Get(':owner/:name/pulls/:number')
  pull(@Param('owner') owner: string, @Param('name') name: string, @Param('number') number: string) {
    return this.pulls.detail(owner, name, parseNumber(number, 'pull request'));
  }

  @Patch(':owner/:name/pulls/:number')
  updatePull(
    @Param('owner') owner: string,
    @Param('name') name: string,
    @Param('number') number: string,
    @Body() body: unknown,
    @Req() req: FastifyRequest,
  ) {
    return this.pulls.update(
      owner,
      name,
      parseNumber(number, 'pull request'),
      parseBody(updatePullBody, body),
      this.acting.of(req),
    );
  }

  @Get(':owner/:name/pulls/:number/diff')
  @Header('content-type', 'text/x-diff; charset=utf-8')
  diff(@Param('owner') owner: string, @Param('name') name: string, @Param('number') number: string) {
    return this.pulls.diff(owner, name, parseNumber(number, 'pull request'));
  }

  @Get(':owner/:name/pulls/:number/comments')
  comments(@Param('owner') owner: string, @Param('name') name: string, @Param('number') number: string) {
    return this.conversation.commentsOf(owner, name, parseNumber(number, 'pull request'));
  }

  @Post(':owner/:name/pulls/:number/comments')
  comment(
    @Param('owner') owner: string,
    @Param('name') name: string,
    @Param('number') number: string,
    @Body() body: unknown,
    @Req() req: FastifyRequest,
  ) {
    return this.conversation.comment(
      owner,
      name,
      parseNumber(number, 'pull request'),
      parseBody(commentBody, body),
      this.acting.of(req),
    );
  }

  @Get(':owner/:name/pulls/:number/reviews')
  reviews(@Param('owner') owner: string, @Param('name') name: string, @Param('number') number: string) {
    return this.conversation.reviewsOf(owner, name, parseNumber(number, 'pull request'));
  }

  @Post(':owner/:name/pulls/:number/reviews')
  review(
    @Param('owner') owner: string,
    @Param('name') name: string,
    @Param('number') number: string,
    @Body() body: unknown,
    @Req() req: FastifyRequest,
  ) {
    return this.conversation.review(
      owner,
      name,
      parseNumber(number, 'pull request'),
      parseBody(reviewBody, body),
      this.acting.of(req),
    );
  }

  @Get(':owner/:name/pulls/:number/reviews/:review/comments')
  reviewComments(
    @Param('owner') owner: string,
    @Param('name') name: string,
    @Param('number') number: string,
    @Param('review') review: string,
  ) {
    return this.conversation.reviewComments(
      owner,
      name,
      parseNumber(number, 'pull request'),
      parseNumber(review, 'review'),
    );
  }

  @Post(':owner/:name/pulls/:number/requested_reviewers')
  requestReviewers(
    @Param('owner') owner: string,
    @Param('name') name: string,
    @Param('number') number: string,
    @Body() body: unknown,
  ) {
    return this.pulls.requestReviewers(
      owner,
      name,
      parseNumber(number, 'pull request'),
      parseBody(reviewersBody, body).reviewers,
    );
  }

  @Post(':owner/:name/pulls/:number/merge')
  @HttpCode(200)
  merge(
    @Param('owner') owner: string,
    @Param('name') name: string,
    @Param('number') number: string,
    @Body() body: unknown,
    @Req() req: FastifyRequest,
  ) {
    return this.merger.merge(
      owner,
      name,
      parseNumber(number, 'pull request'),
      parseBody(mergeBody, body),
      this.acting.of(req),
    );
  }

  // Labels by GitHub's issue paths: on GitHub a pull request is an issue of the same number.
  @Get(':owner/:name/issues/:number/labels')
  labelsOf(@Param('owner') owner: string, @Param('name') name: string, @Param('number') number: string) {
    return this.labels.list(owner, name, parseNumber(number, 'pull request'));
  }

  @Post(':owner/:name/issues/:number/labels')
  @HttpCode(200)
  addLabels(
    @Param('owner') owner: string,
    @Param('name') name: string,
    @Param('number') number: string,
    @Body() body: unknown,
    @Req() req: FastifyRequest,
  ) {
    return this.labels.add(
      owner,
      name,
      parseNumber(number, 'pull request'),
      parseBody(labelsBody, body).labels,
      this.acting.of(req),
    );
  }

  @Delete(':owner/:name/issues/:number/labels/:label')
  removeLabel(
    @Param('owner') owner: string,
    @Param('name') name: string,
    @Param('number') number: string,
    @Param('label') label: string,
    @Req() req: FastifyRequest,
  ) {
    return this.labels.remove(owner, name, parseNumber(number, 'pull request'), label, this.acting.of(req));
  }

  @Post(':owner/:name/check-runs')
  checkRun(
    @Param('owner') owner: string,
    @Param('name') name: string,
    @Body() body: unknown,
    @Req() req: FastifyRequest,
  ) {
    return this.checkRuns.create(owner, name, parseBody(checkRunBody, body), this.acting.of(req));
  }

  @Get(':owner/:name/commits/:sha/check-runs')
  checkRunsOn(@Param('owner') owner: string, @Param('name') name: string, @Param('sha') sha: string) {
    return this.checkRuns.onCommit(owner, name, sha);
  }
}
