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

/** The scripted model server, started when no model provider is configured (tools/lib/local-defaults.mjs). */
export const MODEL_SERVER = {
  name: 'model-server',
  portVar: 'MODEL_SERVER_PORT',
  port: 8070,
  readyPath: '/v1/models',
  main: path.join('libs', 'testing', 'src', 'model-server', 'main.ts'),
  args: (env) => [
    '--port',
    String(Number(env.MODEL_SERVER_PORT || 8070)),
    '--scripts',
    // MODEL_SERVER_SCRIPTS (folders or files, separated by ":") replaces the demo's scripts.
    ...(env.MODEL_SERVER_SCRIPTS
      ? env.MODEL_SERVER_SCRIPTS.split(':').filter(Boolean)
      : [path.join(ROOT, 'apps', 'cli', 'demo', 'scripts')]),
    '--var',
    'workdir=/workspace',
  ],
};

export function portOf(service, env) {
  return Number(env[service.portVar] || service.port);
}

/** node arguments that run a service's main.ts through swc (no build step). */
export function launchArgs(service, env = process.env) {
  return [
    '--enable-source-maps',
    '-r',
    '@swc-node/register',
    path.join(ROOT, service.main ?? path.join('apps', service.name, 'src', 'main.ts')),
    ...(service.args ? service.args(env) : []),
  ];
}
