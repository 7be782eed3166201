import type { IncomingMessage, ServerResponse } from 'node:http';
import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { LOGGER } from '@horizon/observability';
import type { Logger } from '@horizon/observability';
import { PullRequestService } from '../application/pull-request.service';
import { BareRepositories } from '../git/bare-repos';
import { branchesOrEmpty, GitRoute, gitRouteOf, isPush, movedBranches, serveGit } from '../git/smart-http';
import { checkAuthorization } from './authorization';
import { FORGE_SECRET } from './tokens';

/**
 * Git smart HTTP at `/<owner>/<name>.git/*`, answered before Fastify routes or parses
 * anything (the body is a pack stream for `git http-backend`, not JSON). A push that moves the
 * head branch of an open pull request makes it `synchronize`.
 */
@Injectable()
export class GitHttpHost implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly repos: BareRepositories,
    private readonly pulls: PullRequestService,
    @Inject(FORGE_SECRET) private readonly secret: string,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onModuleInit() {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    fastify.addHook('onRequest', (request, reply, done) => {
      const route = gitRouteOf(request.raw.url);
      if (!route) return done();
      reply.hijack();
      const res = reply.raw;
      const credentials = checkAuthorization(request.headers.authorization, this.secret);
      if (!credentials.ok) {
        res.writeHead(401, {
          'www-authenticate': 'Basic realm="horizon forge"',
          'content-type': 'text/plain',
        });
        res.end('a forge token is required (Basic x-access-token:<token>)\n');
        return;
      }
      void this.serve(route, request.raw, res, credentials.user).catch((err: Error) => {
        this.logger.error({ err, owner: route.owner, name: route.name }, 'git request failed');
        if (!res.headersSent) res.writeHead(500);
        res.end();
      });
    });
  }

  private async serve(route: GitRoute, req: IncomingMessage, res: ServerResponse, user: string | null) {
    if (!(await this.repos.exists(route.owner, route.name))) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end(`repository ${route.owner}/${route.name} not found\n`);
      return;
    }
    const push = isPush(route, req);
    const before = push ? await branchesOrEmpty(this.repos, route) : [];
    await serveGit(this.repos.root, req, res, user ?? 'x-access-token', async () => {
      if (!push) return;
      const moved = movedBranches(before, await branchesOrEmpty(this.repos, route));
      const synced = await this.pulls
        .pushed(
          route.owner,
          route.name,
          moved.map((b) => ({ branch: b.name, sha: b.sha })),
          user,
        )
        .catch((err: Error) => {
          this.logger.error(
            { err, repo: `${route.owner}/${route.name}` },
            'pull request synchronize failed after a push',
          );
          return 0;
        });
      this.logger.info({ repo: `${route.owner}/${route.name}`, moved, synced }, 'push received');
    });
  }
}
