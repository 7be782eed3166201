import type { IntegrationCheck } from '@horizon/contracts';
import { LocalForgeTokenMissing, resolveLocalForgeToken } from '@horizon/local-forge-client';
import { probeRequest, runIntegrationProbe, type IntegrationProbe } from '@horizon/observability';

/** What the notifier was started with, as far as its integrations go (config.ts reads it). */
export interface NotifierIntegrations {
  slack: { token: string | undefined; apiUrl: string };
  linear: { token: string | undefined; apiUrl: string };
  forge: { url: string; token: string | undefined; dataDir: string };
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
  const probes: IntegrationProbe[] = [
    {
      integration: 'slack',
      settings: ['SLACK_BOT_TOKEN'],
      missing: config.slack.token ? [] : ['SLACK_BOT_TOKEN'],
      call: async () => {
        const body = (await probeRequest(new URL('auth.test', withSlash(config.slack.apiUrl)), {
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
        const body = (await probeRequest(new URL('/graphql', config.linear.apiUrl), {
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
        await probeRequest(new URL('/healthz', config.forge.url), {});
        return `answering at ${config.forge.url}`;
      },
    },
  ];
  return Promise.all(probes.map((probe) => runIntegrationProbe(probe, 'notifier', now)));
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
