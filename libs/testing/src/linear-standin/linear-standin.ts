import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { FragmentDefinitionNode, Kind, parse, print } from 'graphql';
import { shape, argumentsOf } from './execute';
import { LinearState } from './linear-state';
import { LinearApiError, rootResolvers } from './resolvers';
import { loadSdkSchema } from './sdk-schema';
import { checkVariables } from './variables';

export interface LinearRequestRecord {
  operationName: string;
  variables: Record<string, unknown>;
  at: number;
  /** What the stand-in answered: ok, or the refusal's code. */
  outcome: string;
}

export interface RateLimitOptions {
  /** How many of the next requests are refused (default 1). */
  count?: number;
  /** Sent as `X-RateLimit-Requests-Reset` (epoch ms, as Linear documents it): now + this. */
  resetInMs?: number;
  /** When set, also sent as `Retry-After` (seconds). */
  retryAfterSeconds?: number;
  /** Only requests of this SDK operation (`createIssue`, …) are refused; others pass. */
  operationName?: string;
}

export interface LinearStandin {
  /** The GraphQL endpoint, for `LinearClient({ apiUrl })`. */
  url: string;
  state: LinearState;
  requests: LinearRequestRecord[];
  /** Refuses the next requests with Linear's RATELIMITED error and rate-limit headers. */
  rateLimitNext(options?: RateLimitOptions): void;
  close(): Promise<void>;
}

type GraphqlError = { message: string; extensions: Record<string, unknown>; path?: string[] };

function error(message: string, type: string, code: string): GraphqlError {
  return { message, extensions: { type, code, userError: true, userPresentableMessage: message } };
}

/**
 * A Linear GraphQL API on loopback. It accepts exactly the operations the installed
 * `@linear/sdk` sends (same document, printed), checks variables against their definitions and
 * the SDK's input types, and answers from `state` in Linear's response shapes. Hand-written
 * queries, unknown fields and ill-typed inputs are refused with GraphQL errors.
 */
export async function startLinearStandin(options: { state?: LinearState } = {}): Promise<LinearStandin> {
  const schema = loadSdkSchema();
  const state = options.state ?? new LinearState();
  const resolvers = rootResolvers(state);
  const requests: LinearRequestRecord[] = [];
  let limited: Required<Pick<RateLimitOptions, 'count' | 'resetInMs'>> &
    Pick<RateLimitOptions, 'retryAfterSeconds' | 'operationName'> = { count: 0, resetInMs: 0 };

  const answer = (
    res: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(JSON.stringify(body));
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'POST' || req.url?.split('?')[0] !== '/graphql')
      return answer(res, 404, { errors: [error('Not found', 'other', 'NOT_FOUND')] });
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const record = (operationName: string, variables: Record<string, unknown>, outcome: string) =>
      requests.push({ operationName, variables, at: Date.now(), outcome });

    if (!req.headers.authorization) {
      record('?', {}, 'AUTHENTICATION_ERROR');
      return answer(res, 400, {
        errors: [
          error('Authentication required, not authenticated', 'authentication error', 'AUTHENTICATION_ERROR'),
        ],
      });
    }
    let body: { query?: unknown; variables?: unknown };
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return answer(res, 400, { errors: [error('Body is not JSON', 'graphql error', 'BAD_REQUEST')] });
    }
    if (typeof body.query !== 'string')
      return answer(res, 400, {
        errors: [error('Must provide query string.', 'graphql error', 'BAD_REQUEST')],
      });
    const variables = (body.variables ?? {}) as Record<string, unknown>;
    let printed: string;
    try {
      printed = print(parse(body.query));
    } catch (err) {
      record('?', variables, 'GRAPHQL_PARSE_FAILED');
      return answer(res, 400, {
        errors: [error((err as Error).message, 'graphql error', 'GRAPHQL_PARSE_FAILED')],
      });
    }
    const op = schema.operations.get(printed);
    if (!op) {
      record('?', variables, 'GRAPHQL_VALIDATION_FAILED');
      const message =
        "Unknown operation: not one @linear/sdk sends (the stand-in accepts only the SDK's own documents)";
      return answer(res, 400, { errors: [error(message, 'graphql error', 'GRAPHQL_VALIDATION_FAILED')] });
    }
    if (limited.count > 0 && (!limited.operationName || limited.operationName === op.name)) {
      limited.count -= 1;
      record(op.name, variables, 'RATELIMITED');
      const headers: Record<string, string> = {
        'x-ratelimit-requests-limit': '1500',
        'x-ratelimit-requests-remaining': '0',
        'x-ratelimit-requests-reset': String(Date.now() + limited.resetInMs),
      };
      if (limited.retryAfterSeconds !== undefined) headers['retry-after'] = String(limited.retryAfterSeconds);
      return answer(
        res,
        400,
        { errors: [error('Rate limit exceeded', 'ratelimited', 'RATELIMITED')] },
        headers,
      );
    }
    const problem = checkVariables(schema, op.operation.variableDefinitions ?? [], variables);
    if (problem) {
      record(op.name, variables, 'BAD_USER_INPUT');
      return answer(res, 400, { errors: [error(problem, 'graphql error', 'BAD_USER_INPUT')] });
    }
    const fragments = new Map(
      op.document.definitions
        .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
        .map((f) => [f.name.value, f]),
    );
    const root: Record<string, unknown> = {};
    try {
      for (const sel of op.operation.selectionSet.selections) {
        if (sel.kind !== Kind.FIELD) continue;
        const resolver = resolvers[sel.name.value];
        if (!resolver)
          throw new LinearApiError(
            `The Linear stand-in does not implement ${sel.name.value} yet`,
            'other',
            'STANDIN_NOT_IMPLEMENTED',
          );
        root[sel.name.value] = resolver(argumentsOf(sel, variables));
      }
      const data = shape(schema, op.operation, fragments, variables, root);
      record(op.name, variables, 'ok');
      return answer(res, 200, { data });
    } catch (err) {
      if (!(err instanceof LinearApiError)) throw err;
      record(op.name, variables, err.code);
      return answer(res, 200, { data: null, errors: [error(err.message, err.type, err.code)] });
    }
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: Error) =>
      answer(res, 500, { errors: [error(err.message, 'internal error', 'INTERNAL_SERVER_ERROR')] }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    state,
    requests,
    rateLimitNext: (o = {}) => {
      limited = {
        count: o.count ?? 1,
        resetInMs: o.resetInMs ?? 1000,
        retryAfterSeconds: o.retryAfterSeconds,
        operationName: o.operationName,
      };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
