import type { Command } from 'commander';
import { serviceEndpoints } from '../endpoints';
import { CliError, EXIT } from '../exit';
import { printJson, printTable, withProgress } from '../output';

interface ServiceStatus {
  name: string;
  url: string;
  status: 'ready' | 'not ready' | 'down';
  detail: string;
}

async function probe(name: string, url: string): Promise<ServiceStatus> {
  try {
    const res = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(3000) });
    const body = (await res.json().catch(() => ({}))) as { checks?: Record<string, unknown> };
    const failing = Object.entries(body.checks ?? {})
      .filter(([, v]) => (v as { ok?: boolean })?.ok === false)
      .map(([k]) => k);
    return {
      name,
      url,
      status: res.ok ? 'ready' : 'not ready',
      detail: res.ok ? '' : `failing: ${failing.join(', ') || res.status}`,
    };
  } catch (err) {
    return {
      name,
      url,
      status: 'down',
      detail: (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message,
    };
  }
}

export function statusCommand(program: Command): void {
  program
    .command('status')
    .description("each service's readiness (GET /readyz on its port)")
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      '\nExit code 0 when every service is ready, 4 when any is down or not ready.\n\nExample:\n  $ horizon status\n  $ horizon status --json | jq -r \'.[] | select(.status != "ready") | .name\'',
    )
    .action(async (opts: { json?: boolean }) => {
      const services = await serviceEndpoints();
      const results = await withProgress('checking services', () =>
        Promise.all(services.map((s) => probe(s.name, s.url))),
      );
      if (opts.json) printJson(results);
      else printTable(results as unknown as Record<string, unknown>[], ['name', 'status', 'url', 'detail']);
      const bad = results.filter((r) => r.status !== 'ready');
      if (bad.length)
        throw new CliError(
          EXIT.unavailable,
          `${bad.length} of ${results.length} services not ready: ${bad.map((b) => b.name).join(', ')}`,
        );
    });
}
