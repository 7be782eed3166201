// Prints docs/configuration.md from each service's config shape, so the table cannot drift
// from what the services actually read: `node -r @swc-node/register tools/config-docs.ts > docs/configuration.md`.
// `tools/config-docs.spec.ts` fails when the committed file is stale.
import { z } from 'zod';

const services = [
  'ingress',
  'orchestrator',
  'sandbox-manager',
  'identity-broker',
  'mcp-context',
  'notifier',
  'forge',
  'console',
];

interface Row {
  name: string;
  fallback: string;
  meaning: string;
}

function describe(schema: z.ZodType): { fallback: string; meaning: string } {
  let current: z.ZodType = schema;
  let fallback = 'unset';
  let meaning = schema.description ?? '';
  // Unwrap default/optional layers, collecting the default and the innermost description.
  for (let i = 0; i < 5; i++) {
    const def = (current as unknown as { _zod: { def: Record<string, unknown> } })._zod.def;
    if (def.type === 'default') {
      const value =
        typeof def.defaultValue === 'function' ? (def.defaultValue as () => unknown)() : def.defaultValue;
      fallback = typeof value === 'string' ? value : JSON.stringify(value);
    }
    const inner = (def.innerType ?? def.in) as z.ZodType | undefined;
    if (!inner) break;
    current = inner;
    meaning ||= current.description ?? '';
  }
  return { fallback, meaning };
}

export function configurationMarkdown(): string {
  const lines = [
    '# Configuration',
    '',
    "Generated from each service's config shape by `tools/config-docs.ts`; every variable is read",
    'once at start and validated, and a bad value stops the service with one line naming it.',
    'The bootstrap supplies `DATABASE_URL` and `NATS_URL` when they are not set.',
    '',
  ];
  const seen = new Map<string, string>();
  for (const service of services) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { configShape } = require(`../apps/${service}/src/config`) as {
      configShape: Record<string, z.ZodType>;
    };
    const rows: Row[] = [];
    for (const [name, schema] of Object.entries(configShape)) {
      if (seen.has(name)) continue;
      seen.set(name, service);
      rows.push({ name, ...describe(schema) });
    }
    if (rows.length === 0) continue;
    lines.push(`## ${service}`, '', '| variable | default | expects |', '| --- | --- | --- |');
    for (const r of rows)
      lines.push(
        `| \`${r.name}\` | ${r.fallback === 'unset' ? 'unset' : r.fallback === '' ? 'empty' : `\`${r.fallback}\``} | ${r.meaning.replace(/\|/g, '\\|')} |`,
      );
    lines.push('');
  }
  lines.push('Variables shared by several services are listed under the first one that reads them.', '');
  return lines.join('\n');
}

if (require.main === module) process.stdout.write(configurationMarkdown());
