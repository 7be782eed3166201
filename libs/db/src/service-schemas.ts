/**
 * Each service's own Postgres schema (prisma/schema.prisma `@@schema`), reachable only by the
 * service's login role `hzn_<schema>` (granted in the migrations). tools/lib/services.mjs
 * names the same schema for each service it launches; a spec holds the two together.
 */
export const SERVICE_SCHEMAS = {
  ingress: 'ingress',
  orchestrator: 'orchestrator',
  'sandbox-manager': 'sandbox',
  'identity-broker': 'identity',
  notifier: 'notifier',
  'mcp-context': 'mcp',
  forge: 'forge',
  console: 'console',
} as const;

export type ServiceWithSchema = keyof typeof SERVICE_SCHEMAS;
export type ServiceSchema = (typeof SERVICE_SCHEMAS)[ServiceWithSchema];

export function schemaRole(schema: ServiceSchema): string {
  return `hzn_${schema}`;
}

/** `url` with the service's role as its user: how the local stack and the tests connect. */
export function serviceDatabaseUrl(url: string, service: ServiceWithSchema): string {
  const out = new URL(url);
  out.username = schemaRole(SERVICE_SCHEMAS[service]);
  out.password = '';
  return out.toString();
}
