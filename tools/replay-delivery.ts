// Publishes a recorded webhook delivery (InboxDelivery) to HZN_INGRESS again, under a new
// envelope id so consumers process it again (see apps/ingress/src/application/replay-delivery.ts for why).
//   node -r @swc-node/register tools/replay-delivery.ts <source> <deliveryId>
// Reads DATABASE_URL, NATS_URL and HZN_STREAM_PREFIX (defaults: the local stack's).
import { baseConfig, loadConfigOrExit } from '@horizon/config';
import { createDatabase } from '@horizon/db';
import { JetStreamConnection, Publisher } from '@horizon/messaging';
import { replayDelivery } from '../apps/ingress/src/application/replay-delivery';
import { InboxDeliveryRepository } from '../apps/ingress/src/persistence/inbox-delivery.repository';

async function main(): Promise<number> {
  const [source, deliveryId] = process.argv.slice(2);
  if (!source || !deliveryId) {
    process.stderr.write('usage: replay-delivery.ts <github|linear|slack> <deliveryId>\n');
    return 64;
  }
  const config = loadConfigOrExit({
    DATABASE_URL: baseConfig.DATABASE_URL,
    NATS_URL: baseConfig.NATS_URL,
    HZN_STREAM_PREFIX: baseConfig.HZN_STREAM_PREFIX,
  });
  const db = createDatabase(config.DATABASE_URL, 1, 'ingress');
  const connection = await JetStreamConnection.connect({
    natsUrl: config.NATS_URL,
    prefix: config.HZN_STREAM_PREFIX,
    name: 'replay-delivery',
  });
  try {
    const result = await replayDelivery(
      new InboxDeliveryRepository(db.prisma),
      new Publisher(connection),
      source,
      deliveryId,
    );
    process.stdout.write(
      `replayed ${result.originalId} as ${result.envelopeId} on ${result.subject} (stream seq ${result.seq})\n`,
    );
    return 0;
  } finally {
    await connection.close();
    await db.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    process.stderr.write(`replay-delivery: ${err.message}\n`);
    process.exit(1);
  },
);
