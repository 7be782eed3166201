import { startServiceProcess, type ServiceProcess } from '@horizon/testing';
import type { TestDatabase, TestMessaging } from '@horizon/testing';

/**
 * The services mcp-context asks over RPC, on the suite's database and stream prefix: the
 * orchestrator (work items, run history) and identity-broker (owners' names), each its own
 * process connecting as its own role, as in production.
 */
export async function startPeers(
  db: TestDatabase,
  messaging: TestMessaging,
  dataDir: string,
): Promise<{ close(): Promise<void> }> {
  const peers: ServiceProcess[] = [];
  const close = async () => void (await Promise.all(peers.map((p) => p.stop())));
  try {
    peers.push(
      await startServiceProcess('orchestrator', {
        db,
        messaging,
        dataDir,
        // The seeded running item holds the only slot: the scheduler leaves the queued one as seeded.
        env: { MAX_CONCURRENT_RUNS: '1' },
      }),
    );
    peers.push(await startServiceProcess('identity-broker', { db, messaging, dataDir }));
  } catch (err) {
    await close();
    throw err;
  }
  return { close };
}
