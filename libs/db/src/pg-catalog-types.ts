import pg from 'pg';
import { releaseClientsOnConnectionLoss } from './pool-connection-loss';

// Postgres catalog columns of type `name` (OID 19) and `char` (OID 18) are unknown to
// @prisma/adapter-pg, so `prisma migrate deploy` fails on its catalog queries
// (prisma/orm#27403). Both are plain text on the wire: report them as `text` (OID 25).
const TEXT_OID = 25;
const CATALOG_TEXT_OIDS = new Set([18, 19]);

function asText(result: pg.QueryResult): pg.QueryResult {
  for (const field of result?.fields ?? []) {
    if (CATALOG_TEXT_OIDS.has(field.dataTypeID)) field.dataTypeID = TEXT_OID;
  }
  return result;
}

export class CatalogTextClient extends pg.Client {
  // pg's query() has promise and callback forms (pg.Pool uses the callback one).
  override query(...args: unknown[]): never {
    const last = args.length - 1;
    if (typeof args[last] === 'function') {
      const callback = args[last] as (err: Error | null, result: pg.QueryResult) => void;
      args[last] = (err: Error | null, result: pg.QueryResult) =>
        callback(err, err ? result : asText(result));
    }
    const out = (super.query as (...a: unknown[]) => unknown)(...args);
    return (out instanceof Promise ? out.then(asText) : out) as never;
  }
}

/**
 * A pg pool whose clients read catalog `name`/`char` columns as text. With `schema`, every
 * connection's search_path is that schema alone, so a service's plain SQL ("OutboxEvent",
 * "WorkItem") names its own tables and nothing else.
 */
export function createPgPool(
  connectionString: string,
  max = 10,
  onIdleError: (err: Error) => void = (err) =>
    process.stderr.write(`postgres: idle connection lost: ${err.message}\n`),
  schema?: string,
): pg.Pool {
  const options = schema ? `-c search_path=${schema}` : undefined;
  const pool = new pg.Pool({ connectionString, max, Client: CatalogTextClient, options });
  // An idle client whose connection drops (a Postgres restart, an admin terminating it) emits
  // 'error' on the pool; unhandled, that would crash the service. The pool discards the client
  // and the next query opens a new connection, so the failure surfaces where it matters.
  pool.on('error', onIdleError);
  releaseClientsOnConnectionLoss(pool);
  return pool;
}
