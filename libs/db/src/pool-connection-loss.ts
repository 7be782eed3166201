import type pg from 'pg';

type Release = (err?: Error | boolean) => void;

/**
 * A checked-out client whose connection drops is given back to the pool at once (which ends and
 * discards it), and the holder's own release later is a no-op. Two reasons:
 * - pg emits the loss as 'error' on the client, where the pool no longer listens while it is
 *   checked out; unhandled, one Postgres restart would crash the service.
 * - Prisma's pg adapter never releases a transaction's client whose ROLLBACK failed on the dead
 *   connection: every transaction in flight during a restart would keep a pool slot forever,
 *   until the pool is exhausted and the service stalls (libs/db/test/connection-loss.test.ts).
 */
export function releaseClientsOnConnectionLoss(pool: pg.Pool): void {
  const connect = pool.connect.bind(pool) as (cb?: unknown) => unknown;
  const guarded = (client: pg.PoolClient): pg.PoolClient => {
    const release = client.release.bind(client) as Release;
    let releasedOnLoss = false;
    const onLoss = (err: Error) => {
      releasedOnLoss = true;
      release(err);
    };
    client.once('error', onLoss);
    client.release = ((err?: Error | boolean) => {
      client.removeListener('error', onLoss);
      if (!releasedOnLoss) release(err);
    }) as pg.PoolClient['release'];
    return client;
  };
  // Both forms: Prisma's adapter awaits connect(); pool.query() passes a callback.
  pool.connect = ((callback?: (err: Error | undefined, client?: pg.PoolClient, done?: Release) => void) => {
    if (typeof callback !== 'function') return (connect() as Promise<pg.PoolClient>).then(guarded);
    return connect((err: Error | undefined, client?: pg.PoolClient) => {
      if (err || !client) return callback(err, client, () => undefined);
      const held = guarded(client);
      return callback(undefined, held, held.release as Release);
    });
  }) as pg.Pool['connect'];
}
