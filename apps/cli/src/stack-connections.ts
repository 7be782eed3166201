import { baseConfig, parseConfig } from '@horizon/config';
import { JetStreamConnection } from '@horizon/messaging';
import { stackUrls } from './endpoints';
import { CliError, EXIT } from './exit';

/** Postgres, NATS and the stream prefix, as the services were given them. */
export function stackConfig() {
  const urls = stackUrls();
  return parseConfig(
    {
      DATABASE_URL: baseConfig.DATABASE_URL,
      NATS_URL: baseConfig.NATS_URL,
      HZN_STREAM_PREFIX: baseConfig.HZN_STREAM_PREFIX,
    },
    {
      ...process.env,
      ...(urls.databaseUrl ? { DATABASE_URL: urls.databaseUrl } : {}),
      ...(urls.natsUrl ? { NATS_URL: urls.natsUrl } : {}),
    },
  );
}

/** The services' NATS, or exit code 4 naming where it was looked for. */
export async function connectNats(config = stackConfig()): Promise<JetStreamConnection> {
  return JetStreamConnection.connect({
    natsUrl: config.NATS_URL,
    prefix: config.HZN_STREAM_PREFIX,
    name: 'horizon-cli',
  }).catch((err: Error) => {
    throw new CliError(EXIT.unavailable, `NATS is not reachable at ${config.NATS_URL}: ${err.message}`);
  });
}
