// The services, their HTTP ports and how to launch one from source.
import path from 'node:path';
import { ROOT } from './stack.mjs';

export const SERVICES = [
  { name: 'ingress', portVar: 'INGRESS_PORT', port: 8080 },
  { name: 'orchestrator', portVar: 'ORCHESTRATOR_PORT', port: 9101 },
  { name: 'sandbox-manager', portVar: 'SANDBOX_MANAGER_PORT', port: 9102 },
  { name: 'identity-broker', portVar: 'IDENTITY_BROKER_PORT', port: 9103 },
  { name: 'mcp-context', portVar: 'MCP_CONTEXT_PORT', port: 8090 },
  { name: 'notifier', portVar: 'NOTIFIER_PORT', port: 9104 },
  { name: 'forge', portVar: 'FORGE_PORT', port: 8060 },
];

export function portOf(service, env) {
  return Number(env[service.portVar] || service.port);
}

/** node arguments that run a service's main.ts through swc (no build step). */
export function launchArgs(service) {
  return [
    '--enable-source-maps',
    '-r',
    '@swc-node/register',
    path.join(ROOT, 'apps', service.name, 'src', 'main.ts'),
  ];
}
