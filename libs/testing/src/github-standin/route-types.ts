import type { TokenGrant } from './model';
import type { MatchedOperation } from './openapi';

/** Who made a request, from its Authorization header. */
export type Principal =
  | { kind: 'none' }
  | { kind: 'app' }
  | { kind: 'installation'; token: string; grant: Extract<TokenGrant, { kind: 'installation' }> }
  | { kind: 'user'; token: string; login: string };

export interface RouteContext {
  op: MatchedOperation;
  query: URLSearchParams;
  body: Record<string, unknown>;
  principal: Principal;
  accept: string;
}

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  json?: unknown;
  text?: string;
}

/** An answer GitHub would give instead of the resource: its status, message and `errors`. */
export class GitHubError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errors?: object[],
  ) {
    super(message);
  }
}
