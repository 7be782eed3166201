import type { INestApplication } from '@nestjs/common';
import { parseConfig } from '@horizon/config';
import { startService } from '@horizon/runtime';
import { freePort } from '@horizon/testing/src/nats-server';
import type { TestDatabase, TestMessaging } from '@horizon/testing/src/stack';
import { IdentityBrokerModule } from '../../../identity-broker/src/app.module';
import { configShape as identityConfigShape } from '../../../identity-broker/src/config';
import { OrchestratorModule } from '../../../orchestrator/src/app.module';
import { configShape as orchestratorConfigShape } from '../../../orchestrator/src/config';

/**
 * The services mcp-context asks over RPC, on the suite's database and stream prefix: the
 * orchestrator (work items, run history) and identity-broker (owners' names), each connecting
 * as its own role, as in production.
 */
export async function startPeers(
  db: TestDatabase,
  messaging: TestMessaging,
  dataDir: string,
): Promise<{ close(): Promise<void> }> {
  const base = {
    NATS_URL: messaging.natsUrl,
    HZN_STREAM_PREFIX: messaging.prefix,
    LOG_LEVEL: 'silent',
    HORIZON_DATA_DIR: dataDir,
  };
  const [orchestratorPort, identityPort] = await Promise.all([freePort(), freePort()]);
  const apps: INestApplication[] = [];
  try {
    apps.push(
      await startService({
        name: 'orchestrator',
        module: OrchestratorModule.register(
          parseConfig(orchestratorConfigShape, {
            ...base,
            DATABASE_URL: db.urlFor('orchestrator'),
            ORCHESTRATOR_PORT: String(orchestratorPort),
            // The seeded running item holds the only slot: the scheduler leaves the queued one as seeded.
            MAX_CONCURRENT_RUNS: '1',
          }),
        ),
        port: orchestratorPort,
      }),
    );
    apps.push(
      await startService({
        name: 'identity-broker',
        module: IdentityBrokerModule.register(
          parseConfig(identityConfigShape, {
            ...base,
            DATABASE_URL: db.urlFor('identity-broker'),
            IDENTITY_BROKER_PORT: String(identityPort),
          }),
        ),
        port: identityPort,
      }),
    );
  } catch (err) {
    await Promise.all(apps.map((app) => app.close()));
    throw err;
  }
  return { close: async () => void (await Promise.all(apps.map((app) => app.close()))) };
}
