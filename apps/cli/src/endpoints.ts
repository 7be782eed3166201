import fs from 'node:fs';
import path from 'node:path';
import { CliError, EXIT } from './exit';

export interface ServiceEndpoint {
  name: string;
  url: string;
}

interface ServiceDef {
  name: string;
  portVar: string;
  port: number;
}

/**
 * The checkout: three levels up from apps/cli/src (the sources) and from apps/cli/dist (the
 * bundle) alike, so paths into the repository hold both ways.
 */
export const ROOT = path.resolve(__dirname, '..', '..', '..');

/** Each service's base URL: the ports `npm start` uses (tools/lib/services.mjs), overridable by the same variables. */
export async function serviceEndpoints(env: NodeJS.ProcessEnv = process.env): Promise<ServiceEndpoint[]> {
  const { SERVICES } = (await import(path.join(ROOT, 'tools', 'lib', 'services.mjs'))) as {
    SERVICES: ServiceDef[];
  };
  return SERVICES.map((s) => ({ name: s.name, url: `http://127.0.0.1:${Number(env[s.portVar] || s.port)}` }));
}

export async function endpoint(name: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const found = (await serviceEndpoints(env)).find((s) => s.name === name);
  if (!found) throw new Error(`no service named ${name}`);
  return found.url;
}

export function dataDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(ROOT, env.HORIZON_DATA_DIR ?? '.horizon');
}

/**
 * The NATS the bootstrap found and the stream prefix it gave this data directory's services,
 * unless the environment names them (the CLI talks to services, never to their databases).
 */
export function stackUrls(env: NodeJS.ProcessEnv = process.env): { natsUrl?: string; streamPrefix?: string } {
  let stack: { natsUrl?: string; streamPrefix?: string } = {};
  try {
    stack = JSON.parse(fs.readFileSync(path.join(dataDir(env), 'stack.json'), 'utf8'));
  } catch {
    // no stack file: the defaults of @horizon/config apply
  }
  return {
    natsUrl: env.NATS_URL ?? stack.natsUrl,
    streamPrefix: env.HZN_STREAM_PREFIX ?? stack.streamPrefix,
  };
}

/** The forge token: `FORGE_TOKEN`, else the file the forge wrote on first start. */
export function forgeToken(env: NodeJS.ProcessEnv = process.env): string {
  if (env.FORGE_TOKEN) return env.FORGE_TOKEN;
  const file = path.join(dataDir(env), 'forge.token');
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    throw new CliError(
      EXIT.unavailable,
      `no forge token: set FORGE_TOKEN or start the forge once (it writes ${file})`,
    );
  }
}

/** The work API token: `--token`, else `HORIZON_API_TOKEN`. */
export function apiToken(option: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const token = option ?? env.HORIZON_API_TOKEN;
  if (!token)
    throw new CliError(
      EXIT.usage,
      'the work API needs a token: pass --token or set HORIZON_API_TOKEN (create one with `horizon token create`)',
    );
  return token;
}
