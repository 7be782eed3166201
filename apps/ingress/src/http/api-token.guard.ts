import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  Inject,
  Injectable,
  ServiceUnavailableException,
  SetMetadata,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiPrincipal, ApiScope, ApiTokens, TokenStoreUnavailableError } from '../application/api-tokens';
import type { IngressConfig } from '../config';
import { INGRESS_CONFIG } from '../tokens';

const REQUIRED_SCOPE = 'hzn:required-scope';

/** The scope a route needs; the guard refuses a token without it (403). */
export const RequireScope = (scope: ApiScope) => SetMetadata(REQUIRED_SCOPE, scope);

export type AuthenticatedRequest = FastifyRequest & { principal: ApiPrincipal };

/**
 * `Authorization: Bearer <token>`: 401 without a valid token, 403 without the route's scope, and
 * 503 with Retry-After while the tokens cannot be read (Postgres restarting): a client retries that.
 */
@Injectable()
export class ApiTokenGuard implements CanActivate {
  constructor(
    private readonly tokens: ApiTokens,
    private readonly reflector: Reflector,
    @Inject(INGRESS_CONFIG) private readonly config: IngressConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const request = http.getRequest<AuthenticatedRequest>();
    const scope = this.reflector.get<ApiScope | undefined>(REQUIRED_SCOPE, context.getHandler());
    if (!scope) throw new Error(`route ${request.url} declares no scope`);
    const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
    const principal = match ? await this.authenticate(match[1]!, http.getResponse<FastifyReply>()) : null;
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

  private async authenticate(token: string, reply: FastifyReply): Promise<ApiPrincipal | null> {
    try {
      return await this.tokens.authenticate(token);
    } catch (err) {
      if (!(err instanceof TokenStoreUnavailableError)) throw err;
      void reply.header('retry-after', String(this.config.INGRESS_RETRY_AFTER_SECONDS));
      throw new ServiceUnavailableException({
        error: 'credentials cannot be checked right now (the token store is unavailable); retry later',
      });
    }
  }
}
