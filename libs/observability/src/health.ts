/** A named readiness check: resolves when the dependency answers, rejects with why not. */
export interface ReadinessCheck {
  name: string;
  check(): Promise<void>;
}

export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, { ok: boolean; error?: string }>;
}

/** Runs every check concurrently with a time bound, so /readyz never hangs. */
export async function evaluateReadiness(
  checks: ReadinessCheck[],
  timeoutMs = 2000,
): Promise<ReadinessReport> {
  const entries = await Promise.all(
    checks.map(async (c) => {
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          c.check(),
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
          }),
        ]);
        return [c.name, { ok: true }] as const;
      } catch (err) {
        return [c.name, { ok: false, error: (err as Error).message }] as const;
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  const report: ReadinessReport = { ready: entries.every(([, r]) => r.ok), checks: {} };
  for (const [name, r] of entries) report.checks[name] = r;
  return report;
}
