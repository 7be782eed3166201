import type { IntegrationCheck } from '@horizon/contracts';
import type { App } from '@horizon/integrations-github';
import { PROBE_TIMEOUT_MS, runIntegrationProbe } from '@horizon/observability';

const SETTINGS = ['GITHUB_APP_ID', 'GITHUB_APP_PRIVATE_KEY'];

/**
 * The GitHub App as Settings shows it: configured or not and, when it is, whether GitHub
 * answers `GET /app` signed with the app's own JWT (through Octokit, as every other call the
 * broker makes). That one call proves the id, the private key and the API URL together, spends
 * no installation token, and says how many accounts installed the app; the key is never shown.
 */
export function checkGitHubApp(
  app: (() => Promise<App>) | null,
  apiUrl: string,
  now: () => Date = () => new Date(),
): Promise<IntegrationCheck> {
  const missing = app ? [] : SETTINGS;
  return runIntegrationProbe(
    {
      integration: 'github',
      settings: SETTINGS,
      missing,
      call: async () => {
        const octokit = (await app!()).octokit;
        const origin = new URL(apiUrl).origin;
        try {
          const { data } = await octokit.request('GET /app', {
            request: { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) },
          });
          const installs = data?.installations_count;
          const count = typeof installs === 'number' ? `, installed on ${installs} account(s)` : '';
          return `GitHub App ${data?.slug ?? data?.id ?? '?'} answering at ${origin}${count}`;
        } catch (err) {
          const e = err as { status?: number; name?: string; message: string };
          if (e.name === 'TimeoutError' || e.name === 'AbortError')
            throw new Error(`${origin}: no answer in ${PROBE_TIMEOUT_MS} ms`);
          throw new Error(
            e.status ? `${origin} answered ${e.status}: ${e.message}` : `${origin}: ${e.message}`,
          );
        }
      },
    },
    'identity-broker',
    now,
  );
}
