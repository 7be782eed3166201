import type { JetStreamConnection, RpcClient } from '@horizon/messaging';
import { stackUrls } from './endpoints';
import { CliError, EXIT } from './exit';

// Loaded on first use: the messaging library brings NATS and Nest, a large part of the CLI's
// start-up, which commands that only speak HTTP (status, pr) never need.
const messaging = () => import('@horizon/messaging');

/** NATS and the stream prefix, as the services were given them. */
export async function stackConfig() {
  const { baseConfig, parseConfig } = await import('@horizon/config');
  const urls = stackUrls();
  return parseConfig(
    { NATS_URL: baseConfig.NATS_URL, HZN_STREAM_PREFIX: baseConfig.HZN_STREAM_PREFIX },
    {
      ...process.env,
      ...(urls.natsUrl ? { NATS_URL: urls.natsUrl } : {}),
      ...(urls.streamPrefix !== undefined ? { HZN_STREAM_PREFIX: urls.streamPrefix } : {}),
    },
  );
}

/** The services' NATS, or exit code 4 naming where it was looked for. */
export async function connectNats(): Promise<JetStreamConnection> {
  const [config, { JetStreamConnection }] = await Promise.all([stackConfig(), messaging()]);
  return JetStreamConnection.connect({
    natsUrl: config.NATS_URL,
    prefix: config.HZN_STREAM_PREFIX,
    name: 'horizon-cli',
  }).catch((err: Error) => {
    throw new CliError(EXIT.unavailable, `NATS is not reachable at ${config.NATS_URL}: ${err.message}`);
  });
}

const EXIT_FOR_RPC: Record<string, CliError['exitCode']> = {
  unavailable: EXIT.unavailable,
  not_found: EXIT.notFound,
  invalid_request: EXIT.usage,
};

/** A service's RPC answer as the CLI's exit codes, naming the service. */
export async function rpcFailure(service: string, err: unknown): Promise<CliError> {
  if (err instanceof CliError) return err;
  const { RpcError } = await messaging();
  if (!(err instanceof RpcError)) return new CliError(EXIT.failure, (err as Error).message);
  return new CliError(EXIT_FOR_RPC[err.code] ?? EXIT.failure, `${service}: ${err.message}`);
}

/** `fn`'s RPCs to `service` over one NATS connection; what fails becomes an exit code. */
export async function withService<T>(service: string, fn: (rpc: RpcClient) => Promise<T>): Promise<T> {
  const conn = await connectNats();
  try {
    return await fn(await rpcClient(conn, 'cli')).catch(async (err: unknown) => {
      throw await rpcFailure(service, err);
    });
  } finally {
    await conn.close();
  }
}

/** An RPC client over `conn`, calling as `name`. */
export async function rpcClient(conn: JetStreamConnection, name: string): Promise<RpcClient> {
  const { RpcClient } = await messaging();
  return new RpcClient(conn, name);
}
