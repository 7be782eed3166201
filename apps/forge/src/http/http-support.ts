import {
  ArgumentsHost,
  CanActivate,
  Catch,
  ExceptionFilter,
  ExecutionContext,
  HttpException,
  Inject,
  Injectable,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { FORGE_CONFIG } from '../config';
import type { ForgeConfig } from '../config';
import { ForgeError } from '../domain/errors';
import { checkAuthorization } from './authorization';
import { FORGE_SECRET } from './tokens';

/** The API's one credential: the forge token, as Bearer, `token` or Basic password. */
@Injectable()
export class ForgeTokenGuard implements CanActivate {
  constructor(@Inject(FORGE_SECRET) private readonly secret: string) {}
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (checkAuthorization(request.headers.authorization, this.secret).ok) return true;
    throw new ForgeError(401, 'a forge token is required: Authorization: Bearer <token>');
  }
}

const LOGIN = /^[A-Za-z0-9][A-Za-z0-9_.\-[\]]{0,63}$/;

/**
 * Who acts: the `X-Forge-User` header (the token is shared by everyone on this machine, so the
 * caller says who it is, as the GitHub App says whom it acts for), else `FORGE_DEFAULT_USER`.
 */
@Injectable()
export class ActingUser {
  constructor(@Inject(FORGE_CONFIG) private readonly config: ForgeConfig) {}
  of(request: FastifyRequest): string {
    const raw = request.headers['x-forge-user'];
    const user = Array.isArray(raw) ? raw[0] : raw;
    if (user === undefined || user === '') return this.config.FORGE_DEFAULT_USER;
    if (!LOGIN.test(user)) throw new ForgeError(400, `X-Forge-User "${user}" is not a login`);
    return user;
  }
}

export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const parsed = schema.safeParse(body ?? {});
  if (!parsed.success) throw new ForgeError(400, z.prettifyError(parsed.error).replace(/\n/g, '; '));
  return parsed.data;
}

export function parseNumber(raw: string, what: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new ForgeError(404, `${what} ${raw} not found`);
  return n;
}

/** ForgeError → its status and `{message}`; Nest's own exceptions as they are. */
@Catch()
export class ForgeErrorFilter implements ExceptionFilter {
  catch(error: unknown, host: ArgumentsHost) {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    if (error instanceof ForgeError) {
      if (error.status === 401) void reply.header('www-authenticate', 'Bearer realm="horizon forge"');
      return reply.status(error.status).send({ message: error.message });
    }
    if (error instanceof HttpException) return reply.status(error.getStatus()).send(error.getResponse());
    return reply.status(500).send({ message: (error as Error).message ?? 'internal error' });
  }
}
