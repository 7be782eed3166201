import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  Injectable,
  SetMetadata,
  UnauthorizedException,
  createParamDecorator,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { HealthController } from '@horizon/observability';
import type { ConsoleRole } from '@horizon/contracts';
import type { FastifyRequest } from 'fastify';
// Brings request.cookies and reply.setCookie into fastify's types (the plugin is registered in main.ts).
import type {} from '@fastify/cookie';
import { highestRole, satisfies } from '../domain/access';
import { sameSecret } from '../domain/secrets';
import { SignInService, type Viewer } from '../application/sign-in.service';

export const SESSION_COOKIE = 'hzn_session';

/** How the console is served: cookies marked Secure behind https, where the built app is. */
export interface WebOptions {
  secureCookies: boolean;
  webDir: string;
}
export const WEB_OPTIONS = Symbol('WEB_OPTIONS');
const ACCESS = Symbol('console-access');

/** Who may call a route: anyone (`public`), or a signed-in person with at least this role somewhere. */
export type Access = { public: true } | { role: ConsoleRole };

/** The least role a route needs in some repository; routes about one repository check it there too. */
export const Requires = (role: ConsoleRole) => SetMetadata(ACCESS, { role } satisfies Access);
/** A route anyone may call: the sign-in link, the app's files. */
export const Public = () => SetMetadata(ACCESS, { public: true } satisfies Access);

type ConsoleRequest = FastifyRequest & { viewer?: Viewer };

/** The signed-in person of a route the guard let through. */
export const CurrentViewer = createParamDecorator((_: unknown, ctx: ExecutionContext): Viewer => {
  const viewer = ctx.switchToHttp().getRequest<ConsoleRequest>().viewer;
  if (!viewer) throw new UnauthorizedException('sign in first');
  return viewer;
});

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Every route denies by default: it must say who may call it (`@Requires`, `@Public`), else the
 * guard refuses it with 403 — a route added without a decision is closed, not open. Health and
 * metrics are the one exception, named here. Changes also need the session's CSRF token in
 * `x-csrf-token` and, when the browser sends one, an Origin of the console's own.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly signIn: SignInService,
    private readonly origin: string,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    if (ctx.getClass() === HealthController) return true;
    const access = this.reflector.getAllAndOverride<Access | undefined>(ACCESS, [
      ctx.getHandler(),
      ctx.getClass(),
    ]);
    if (!access) throw new ForbiddenException('this route has no access rule, so nobody may call it');
    if ('public' in access) return true;
    const request = ctx.switchToHttp().getRequest<ConsoleRequest>();
    const viewer = await this.signIn.viewer(request.cookies?.[SESSION_COOKIE]);
    if (!viewer)
      throw new UnauthorizedException(
        'not signed in: run `npm run -s horizon -- console link` and open the link it prints',
      );
    if (!SAFE_METHODS.has(request.method)) this.checkCsrf(request, viewer);
    if (!satisfies(highestRole(viewer.grants), access.role))
      throw new ForbiddenException(
        `this needs the ${access.role} role; ask an admin of the repository for it`,
      );
    request.viewer = viewer;
    return true;
  }

  private checkCsrf(request: ConsoleRequest, viewer: Viewer): void {
    const origin = request.headers.origin;
    if (origin && origin !== this.origin)
      throw new ForbiddenException(`requests from ${origin} are refused; use ${this.origin}`);
    const header = request.headers['x-csrf-token'];
    if (!sameSecret(typeof header === 'string' ? header : undefined, viewer.csrfToken))
      throw new ForbiddenException('missing or wrong x-csrf-token header; reload the page');
  }
}
