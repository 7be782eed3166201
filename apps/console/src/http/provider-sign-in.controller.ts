import { Controller, Get, Inject, NotFoundException, Param, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { signInMethodSchema, type SignInMethod } from '@horizon/contracts';
import { ProviderSignIn, ProviderSignInRefused } from '../application/provider-sign-in.service';
import type { SignInMethodOption } from '../shared/console-api';
import { Public, SESSION_COOKIE, WEB_OPTIONS, type WebOptions } from './access';
import { signInRefusedPage } from './sign-in-pages';

/** Holds the browser's half of a sign-in in flight; the state alone is worthless without it. */
const BINDING_COOKIE = 'hzn_sign_in';
const BINDING_PATH = '/auth/sign-in/';

const ADVICE: Record<ProviderSignInRefused['reason'], { status: number; advice: string }> = {
  not_configured: {
    status: 503,
    advice:
      'Ask whoever runs Horizon to configure it (docs/configuration.md), or sign in with a one-time link.',
  },
  bad_state: {
    status: 401,
    advice: 'Start again from the sign-in page, in this browser, and finish within 10 minutes.',
  },
  provider_refused: {
    status: 401,
    advice: 'Start again from the sign-in page; if it keeps failing, ask whoever runs the provider.',
  },
  no_grants: { status: 403, advice: 'An admin grants roles on the People page of the console.' },
  unavailable: {
    status: 503,
    advice: 'Try again in a minute; if it keeps failing, tell whoever runs Horizon.',
  },
};

/**
 * "Sign in with GitHub / your OpenID Provider": the buttons' list, the start (asks
 * identity-broker for the authorize URL and sets the binding cookie) and the callback the
 * provider sends the browser back to. All public: they are how someone gets a session.
 */
@Controller()
export class ProviderSignInController {
  constructor(
    private readonly signIn: ProviderSignIn,
    @Inject(WEB_OPTIONS) private readonly options: WebOptions,
  ) {}

  @Public()
  @Get('api/sign-in-methods')
  methods(): Promise<SignInMethodOption[]> {
    return this.signIn.methods();
  }

  @Public()
  @Get('auth/sign-in/:method/start')
  async start(@Param('method') method: string, @Res() reply: FastifyReply): Promise<void> {
    try {
      const { authorizeUrl, browserBinding } = await this.signIn.start(parseMethod(method));
      await reply
        .setCookie(BINDING_COOKIE, browserBinding, {
          httpOnly: true,
          // Lax, not Strict: the provider's redirect back is a cross-site top-level navigation.
          sameSite: 'lax',
          secure: this.options.secureCookies,
          path: BINDING_PATH,
          maxAge: 600,
        })
        .redirect(authorizeUrl, 303);
    } catch (err) {
      await refused(reply, err);
    }
  }

  @Public()
  @Get('auth/sign-in/:method/callback')
  async callback(
    @Param('method') method: string,
    @Query() query: Record<string, string | undefined>,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    reply.clearCookie(BINDING_COOKIE, { path: BINDING_PATH }).header('referrer-policy', 'no-referrer');
    try {
      const signInMethod = parseMethod(method);
      if (query.error) {
        const detail = query.error_description ? ` (${query.error_description})` : '';
        throw new ProviderSignInRefused(
          'provider_refused',
          `The provider refused the sign-in: ${query.error}${detail}.`,
        );
      }
      if (!query.code || !query.state)
        throw new ProviderSignInRefused(
          'bad_state',
          'The provider sent the browser back without a code and state.',
        );
      const browserBinding = request.cookies?.[BINDING_COOKIE];
      if (!browserBinding)
        throw new ProviderSignInRefused(
          'bad_state',
          'This browser has no sign-in in progress (its sign-in cookie is missing or expired).',
        );
      const { sessionToken, expiresAt } = await this.signIn.complete(signInMethod, {
        code: query.code,
        state: query.state,
        browserBinding,
        ...(query.iss ? { issuer: query.iss } : {}),
      });
      await reply
        .setCookie(SESSION_COOKIE, sessionToken, {
          httpOnly: true,
          sameSite: 'lax',
          secure: this.options.secureCookies,
          path: '/',
          expires: expiresAt,
        })
        .redirect('/', 303);
    } catch (err) {
      await refused(reply, err);
    }
  }
}

function parseMethod(method: string): SignInMethod {
  const parsed = signInMethodSchema.safeParse(method);
  if (!parsed.success)
    throw new NotFoundException(`no sign-in method "${method}"; there are github and oidc`);
  return parsed.data;
}

async function refused(reply: FastifyReply, err: unknown): Promise<void> {
  if (!(err instanceof ProviderSignInRefused)) throw err;
  const { status, advice } = ADVICE[err.reason];
  await reply
    .status(status)
    .header('content-type', 'text/html; charset=utf-8')
    .send(signInRefusedPage(err.message, advice));
}
