import { Controller, Get, Inject, Post, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { SignInRefused, SignInService, type Viewer } from '../application/sign-in.service';
import type { SessionView } from '../shared/console-api';
import { signInRefusedPage } from './sign-in-pages';
import { CurrentViewer, Public, Requires, SESSION_COOKIE, WEB_OPTIONS, type WebOptions } from './access';

/** Signing in with a one-time link, the session the app reads, and signing out. */
@Controller()
export class AuthController {
  constructor(
    private readonly signIn: SignInService,
    @Inject(WEB_OPTIONS) private readonly options: WebOptions,
  ) {}

  /** Spends the link, sets the session cookie and sends the browser to the board. */
  @Public()
  @Get('auth/sign-in')
  async redeem(@Query('token') token: string | undefined, @Res() reply: FastifyReply): Promise<void> {
    try {
      const { sessionToken, expiresAt } = await this.signIn.redeem(token ?? '');
      await reply
        .setCookie(SESSION_COOKIE, sessionToken, {
          httpOnly: true,
          sameSite: 'lax',
          secure: this.options.secureCookies,
          path: '/',
          expires: expiresAt,
        })
        // The link's token must not follow the person to the next page in a Referer.
        .header('referrer-policy', 'no-referrer')
        .redirect('/', 303);
    } catch (err) {
      if (!(err instanceof SignInRefused)) throw err;
      await reply
        .status(401)
        .header('content-type', 'text/html; charset=utf-8')
        .header('referrer-policy', 'no-referrer')
        .send(
          signInRefusedPage(
            `${err.message}. A sign-in link works once, for a short time.`,
            'For a fresh one, run `npm run -s horizon -- console link` where Horizon runs, and open the link it prints.',
          ),
        );
    }
  }

  @Requires('viewer')
  @Get('api/session')
  session(@CurrentViewer() viewer: Viewer): SessionView {
    return {
      person: { id: viewer.personId, name: viewer.name },
      grants: viewer.grants.map((g) => ({ repo: g.repo, role: g.role })),
      csrfToken: viewer.csrfToken,
    };
  }

  @Requires('viewer')
  @Post('auth/sign-out')
  async signOut(@CurrentViewer() viewer: Viewer, @Res() reply: FastifyReply): Promise<void> {
    await this.signIn.signOut(viewer);
    await reply.clearCookie(SESSION_COOKIE, { path: '/' }).status(204).send();
  }
}
