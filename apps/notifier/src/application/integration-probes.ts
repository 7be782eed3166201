import type { IntegrationCheck } from '@horizon/contracts';
import { LocalForgeTokenMissing, resolveLocalForgeToken } from '@horizon/local-forge-client';

/** What the notifier was started with, as far as its integrations go (config.ts reads it). */
export interface NotifierIntegrations {
  slack: { token: string | undefined; apiUrl: string };
  linear: { token: string | undefined; apiUrl: string };
  forge: { url: string; token: string | undefined; dataDir: string };
}

/** Long enough for a slow API on a good day, short enough for a Settings page to wait on. */
const PROBE_TIMEOUT_MS = 3000;

interface Probe {
  integration: IntegrationCheck['integration'];
  settings: string[];
  /** The missing settings, or none when configured. */
  missing: string[];
  /** A cheap authenticated request; resolves to what it saw, rejects when there was no good answer. */
  call: () => Promise<string>;
}

/**
 * The notifier's integrations, each configured or not (named as docs/configuration.md names
 * the settings) and, when configured, probed with one cheap request under a short timeout:
 * Slack's `auth.test`, Linear's `viewer`, the local forge's `/healthz`.
 */
export async function checkNotifierIntegrations(
  config: NotifierIntegrations,
  now: () => Date = () => new Date(),
): Promise<IntegrationCheck[]> {
  const probes: Probe[] = [
    {
      integration: 'slack',
      settings: ['SLACK_BOT_TOKEN'],
      missing: config.slack.token ? [] : ['SLACK_BOT_TOKEN'],
      call: async () => {
        const body = (await request(new URL('auth.test', withSlash(config.slack.apiUrl)), {
          method: 'POST',
          headers: { authorization: `Bearer ${config.slack.token}` },
        })) as { ok?: boolean; error?: string; team?: string; user?: string };
        if (!body.ok) throw new Error(`Slack refused the token (${body.error ?? 'no reason given'})`);
        return `signed in as ${body.user ?? 'the bot'} in ${body.team ?? 'the workspace'}`;
      },
    },
    {
      integration: 'linear',
      settings: ['LINEAR_ACCESS_TOKEN'],
      missing: config.linear.token ? [] : ['LINEAR_ACCESS_TOKEN'],
      call: async () => {
        const body = (await request(new URL('/graphql', config.linear.apiUrl), {
          method: 'POST',
          headers: { authorization: `Bearer ${config.linear.token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ query: '{ viewer { name } }' }),
        })) as { data?: { viewer?: { name?: string } } };
        return `signed in as ${body.data?.viewer?.name ?? 'the app'}`;
      },
    },
    {
      integration: 'forge',
      settings: ['FORGE_URL', 'FORGE_TOKEN'],
      missing: forgeTokenMissing(config.forge) ? ['FORGE_TOKEN'] : [],
      call: async () => {
        await request(new URL('/healthz', config.forge.url), {});
        return `answering at ${config.forge.url}`;
      },
    },
  ];
  return Promise.all(probes.map((probe) => check(probe, now)));
}

async function check(probe: Probe, now: () => Date): Promise<IntegrationCheck> {
  const base = { integration: probe.integration, service: 'notifier' };
  if (probe.missing.length > 0)
    return {
      ...base,
      configured: false,
      settings: probe.missing,
      answering: null,
      latencyMs: null,
      detail: `not configured: set ${probe.missing.join(' and ')} for the notifier (docs/configuration.md)`,
      checkedAt: now().toISOString(),
    };
  const started = Date.now();
  const outcome = await probe.call().then(
    (detail) => ({ answering: true, detail }),
    (err: unknown) => ({ answering: false, detail: (err as Error).message }),
  );
  return {
    ...base,
    configured: true,
    settings: probe.settings,
    ...outcome,
    latencyMs: Date.now() - started,
    checkedAt: now().toISOString(),
  };
}

/** One request under the probe timeout; its JSON body when the answer was a 2xx. */
async function request(url: URL, init: RequestInit): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(url, { ...init, signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
  } catch (err) {
    const reason = (err as Error).name === 'TimeoutError' ? `no answer in ${PROBE_TIMEOUT_MS} ms` : undefined;
    throw new Error(
      `${url.origin}: ${reason ?? (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message}`,
    );
  }
  if (!res.ok) throw new Error(`${url.origin} answered ${res.status}`);
  return res.json().catch(() => ({}));
}

function forgeTokenMissing(forge: NotifierIntegrations['forge']): boolean {
  try {
    resolveLocalForgeToken(forge.token, forge.dataDir);
    return false;
  } catch (err) {
    if (err instanceof LocalForgeTokenMissing) return true;
    throw err;
  }
}

function withSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}
