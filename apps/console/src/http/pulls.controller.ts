import {
  Body,
  Controller,
  ForbiddenException,
  Get,
  HttpCode,
  HttpException,
  NotFoundException,
  Param,
  Post,
  ServiceUnavailableException,
} from '@nestjs/common';
import { z } from 'zod';
import {
  PullRequestNotFound,
  PullRequestRefused,
  PullRequests,
  type PullRef,
} from '../application/pull-requests';
import type { Viewer } from '../application/sign-in.service';
import { NotPermitted } from '../application/work-reader';
import { ForgeUnavailable } from '../forge/local-forge';
import type { PullRequestPage } from '../shared/console-api';
import { CurrentViewer, Requires } from './access';
import { parse } from './work.controller';

const name = z.string().regex(/^[A-Za-z0-9_.-]{1,100}$/, 'a repository owner or name');
const pullParams = z.object({
  owner: name,
  name,
  number: z.coerce.number().int().positive(),
});

const reviewBody = z
  .object({
    event: z.enum(['APPROVE', 'REQUEST_CHANGES', 'COMMENT']),
    body: z.string().trim().max(65_000).optional(),
  })
  .refine((r) => r.event === 'APPROVE' || Boolean(r.body), {
    message: 'body: say what to change (a request for changes or a comment needs a body)',
  });

const mergeBody = z.object({
  sha: z
    .string()
    .regex(/^[0-9a-f]{40}$/, 'a commit sha')
    .optional(),
});

/**
 * A local forge pull request, evidence first: read by anyone with a role in the repository,
 * reviewed and merged by its members as themselves (`application/pull-requests.ts`).
 */
@Controller('api/pulls/:owner/:name/:number')
export class PullsController {
  constructor(private readonly pulls: PullRequests) {}

  @Requires('viewer')
  @Get()
  page(@CurrentViewer() viewer: Viewer, @Param() params: unknown): Promise<PullRequestPage> {
    return answer(() => this.pulls.page(viewer, parse(pullParams, params) as PullRef));
  }

  @Requires('member')
  @Post('reviews')
  review(@CurrentViewer() viewer: Viewer, @Param() params: unknown, @Body() body: unknown) {
    const ref = parse(pullParams, params) as PullRef;
    return answer(() => this.pulls.review(viewer, ref, parse(reviewBody, body ?? {})));
  }

  @Requires('member')
  @Post('merge')
  @HttpCode(200)
  merge(@CurrentViewer() viewer: Viewer, @Param() params: unknown, @Body() body: unknown) {
    const ref = parse(pullParams, params) as PullRef;
    return answer(() => this.pulls.merge(viewer, ref, parse(mergeBody, body ?? {})));
  }
}

async function answer<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof PullRequestNotFound)
      throw new NotFoundException(
        err.message.startsWith('no pull request')
          ? err.message
          : `no pull request in ${err.message} that you may see`,
      );
    if (err instanceof NotPermitted)
      throw new ForbiddenException(
        `you are a viewer of ${err.message}: reviewing and merging need the member role; ask an admin of the repository for it`,
      );
    if (err instanceof PullRequestRefused)
      throw new HttpException(
        { statusCode: err.status, error: errorName(err.status), message: err.message },
        err.status,
      );
    if (err instanceof ForgeUnavailable) throw new ServiceUnavailableException(err.message);
    throw err;
  }
}

function errorName(status: number): string {
  return (
    { 404: 'Not Found', 409: 'Conflict', 422: 'Unprocessable Entity', 502: 'Bad Gateway' }[status] ?? 'Error'
  );
}
