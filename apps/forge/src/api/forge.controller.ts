import {
  Body,
  Controller,
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
import { ForgeService } from '../forge.service';
import { ActingUser, ForgeErrorFilter, ForgeTokenGuard, parseBody, parseNumber } from './http';
import {
  checkRunBody,
  commentBody,
  createPullBody,
  createRepositoryBody,
  mergeBody,
  pullStateQuery,
  reviewBody,
  reviewersBody,
  updatePullBody,
} from './schemas';

/** The local forge's REST API (docs/local-forge.md). Every route needs the forge token. */
@Controller('api/v1/repos')
@UseGuards(ForgeTokenGuard)
@UseFilters(ForgeErrorFilter)
export class ForgeController {
  constructor(
    private readonly forge: ForgeService,
    private readonly acting: ActingUser,
  ) {}

  @Post()
  createRepository(@Body() body: unknown) {
    return this.forge.createRepository(parseBody(createRepositoryBody, body));
  }

  @Get()
  listRepositories() {
    return this.forge.listRepositories();
  }

  @Get(':owner/:name')
  repository(@Param('owner') owner: string, @Param('name') name: string) {
    return this.forge.repository(owner, name);
  }

  @Get(':owner/:name/branches')
  branches(@Param('owner') owner: string, @Param('name') name: string) {
    return this.forge.branches(owner, name);
  }

  @Post(':owner/:name/pulls')
  createPull(
    @Param('owner') owner: string,
    @Param('name') name: string,
    @Body() body: unknown,
    @Req() req: FastifyRequest,
  ) {
    return this.forge.createPull(owner, name, parseBody(createPullBody, body), this.acting.of(req));
  }

  @Get(':owner/:name/pulls')
  listPulls(@Param('owner') owner: string, @Param('name') name: string, @Query('state') state?: string) {
    return this.forge.listPulls(owner, name, parseBody(pullStateQuery, state));
  }

  @Get(':owner/:name/pulls/:number')
  pull(@Param('owner') owner: string, @Param('name') name: string, @Param('number') number: string) {
    return this.forge.pullDetail(owner, name, parseNumber(number, 'pull request'));
  }

  @Patch(':owner/:name/pulls/:number')
  updatePull(
    @Param('owner') owner: string,
    @Param('name') name: string,
    @Param('number') number: string,
    @Body() body: unknown,
    @Req() req: FastifyRequest,
  ) {
    return this.forge.updatePull(
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
    return this.forge.diff(owner, name, parseNumber(number, 'pull request'));
  }

  @Get(':owner/:name/pulls/:number/comments')
  comments(@Param('owner') owner: string, @Param('name') name: string, @Param('number') number: string) {
    return this.forge.comments(owner, name, parseNumber(number, 'pull request'));
  }

  @Post(':owner/:name/pulls/:number/comments')
  comment(
    @Param('owner') owner: string,
    @Param('name') name: string,
    @Param('number') number: string,
    @Body() body: unknown,
    @Req() req: FastifyRequest,
  ) {
    return this.forge.comment(
      owner,
      name,
      parseNumber(number, 'pull request'),
      parseBody(commentBody, body),
      this.acting.of(req),
    );
  }

  @Get(':owner/:name/pulls/:number/reviews')
  reviews(@Param('owner') owner: string, @Param('name') name: string, @Param('number') number: string) {
    return this.forge.reviews(owner, name, parseNumber(number, 'pull request'));
  }

  @Post(':owner/:name/pulls/:number/reviews')
  review(
    @Param('owner') owner: string,
    @Param('name') name: string,
    @Param('number') number: string,
    @Body() body: unknown,
    @Req() req: FastifyRequest,
  ) {
    return this.forge.review(
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
    return this.forge.reviewComments(
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
    return this.forge.requestReviewers(
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
    return this.forge.merge(
      owner,
      name,
      parseNumber(number, 'pull request'),
      parseBody(mergeBody, body),
      this.acting.of(req),
    );
  }

  @Post(':owner/:name/check-runs')
  checkRun(
    @Param('owner') owner: string,
    @Param('name') name: string,
    @Body() body: unknown,
    @Req() req: FastifyRequest,
  ) {
    return this.forge.createCheckRun(owner, name, parseBody(checkRunBody, body), this.acting.of(req));
  }
}
