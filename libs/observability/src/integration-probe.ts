import type { IntegrationCheck } from '@horizon/contracts';

/** Long enough for a slow API on a good day, short enough for a Settings page to wait on. */
export const PROBE_TIMEOUT_MS = 3000;

/** One integration a service owns, and how to ask it whether it works. */
export interface IntegrationProbe {
  integration: IntegrationCheck['integration'];
  /** The settings that configure it, as docs/configuration.md names them. */
  settings: string[];
  /** The missing settings, or none when configured. */
  missing: string[];
  /** A cheap authenticated request; resolves to what it saw, rejects when there was no good answer. */
  call: () => Promise<string>;
}

/**
 * `service`'s check of one integration for Settings: not configured (naming the settings to
 * set, never their values), or configured and answering or not, with how long the probe took.
 */
export async function runIntegrationProbe(
  probe: IntegrationProbe,
  service: string,
  now: () => Date = () => new Date(),
): Promise<IntegrationCheck> {
  const base = { integration: probe.integration, service };
  if (probe.missing.length > 0)
    return {
      ...base,
      configured: false,
      settings: probe.missing,
      answering: null,
      latencyMs: null,
      detail: `not configured: set ${probe.missing.join(' and ')} for the ${service} (docs/configuration.md)`,
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
export async function probeRequest(url: URL, init: RequestInit): Promise<unknown> {
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
