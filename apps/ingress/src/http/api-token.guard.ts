import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  Injectable,
  SetMetadata,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiPrincipal, ApiScope, ApiTokens } from '../application/api-tokens';

const REQUIRED_SCOPE = 'hzn:required-scope';

/** The scope a route needs; the guard refuses a token without it (403). */
export const RequireScope = (scope: ApiScope) => SetMetadata(REQUIRED_SCOPE, scope);

export type AuthenticatedRequest = FastifyRequest & { principal: ApiPrincipal };

/** `Authorization: Bearer <token>`: 401 without a valid token, 403 without the route's scope. */
@Injectable()
export class ApiTokenGuard implements CanActivate {
  constructor(
    private readonly tokens: ApiTokens,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const request = http.getRequest<AuthenticatedRequest>();
    const scope = this.reflector.get<ApiScope | undefined>(REQUIRED_SCOPE, context.getHandler());
    if (!scope) throw new Error(`route ${request.url} declares no scope`);
    const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
    const principal = match ? await this.tokens.authenticate(match[1]!) : null;
    if (!principal) {
      void http.getResponse<FastifyReply>().header('www-authenticate', 'Bearer realm="horizon"');
      throw new UnauthorizedException({
        error: match ? 'invalid, expired or revoked token' : 'missing bearer token',
      });
    }
    if (!principal.scopes.includes(scope))
      throw new ForbiddenException({ error: `token lacks scope ${scope}` });
    request.principal = principal;
    return true;
  }
}
