import type { IntegrationCheck } from '@horizon/contracts';
import { probeRequest, runIntegrationProbe } from '@horizon/observability';
import type { ModelProviderConfig } from '../config';

const SETTINGS = ['SANDBOX_MODEL_PROVIDER', 'SANDBOX_MODEL_BASE_URL', 'SANDBOX_MODEL_API_KEY'];

/**
 * The model provider as Settings shows it: configured or not and, when it is, whether its model
 * list answers with the key the egress proxy holds (the cheapest call both wires have, and one
 * that spends no tokens). The key is sent only to the provider, never shown.
 */
export function checkModelProvider(
  model: ModelProviderConfig | null,
  now: () => Date = () => new Date(),
): Promise<IntegrationCheck> {
  return runIntegrationProbe(
    {
      integration: 'model',
      settings: SETTINGS,
      missing: model ? [] : ['SANDBOX_MODEL_API_KEY'],
      call: async () => {
        const { provider, baseUrl, apiKey } = model!;
        const headers: Record<string, string> =
          provider === 'anthropic'
            ? { 'x-api-key': apiKey, 'anthropic-version': '2023-06-01' }
            : { authorization: `Bearer ${apiKey}` };
        const url = new URL('models', baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
        const body = (await probeRequest(url, { headers })) as { data?: unknown[] };
        const count = Array.isArray(body.data) ? `, ${body.data.length} model(s) offered` : '';
        return `${provider} answering at ${url.origin}${count}`;
      },
    },
    'sandbox-manager',
    now,
  );
}
