// The services, their HTTP ports and how to launch one from source.
import path from 'node:path';
import { ROOT } from './stack.mjs';

// `schema`: the service's own Postgres schema; it connects as the role `hzn_<schema>`, granted
// only that schema (libs/db/src/service-schemas.ts, which a spec holds equal to this list).
export const SERVICES = [
  { name: 'ingress', portVar: 'INGRESS_PORT', port: 8080, schema: 'ingress' },
  { name: 'orchestrator', portVar: 'ORCHESTRATOR_PORT', port: 9101, schema: 'orchestrator' },
  { name: 'sandbox-manager', portVar: 'SANDBOX_MANAGER_PORT', port: 9102, schema: 'sandbox' },
  { name: 'identity-broker', portVar: 'IDENTITY_BROKER_PORT', port: 9103, schema: 'identity' },
  { name: 'mcp-context', portVar: 'MCP_CONTEXT_PORT', port: 8090, schema: 'mcp' },
  { name: 'notifier', portVar: 'NOTIFIER_PORT', port: 9104, schema: 'notifier' },
  { name: 'forge', portVar: 'FORGE_PORT', port: 8060, schema: 'forge' },
  { name: 'console', portVar: 'CONSOLE_PORT', port: 8050, schema: 'console' },
];

/**
 * The environment one service runs with: DATABASE_URL is its own, `<SERVICE>_DATABASE_URL`
 * when set (a deployment's, with the role's password), else the stack's URL with the user
 * swapped for the service's role (the local stack trusts loopback, so no password).
 */
export function serviceEnv(service, env) {
  if (!service.schema) return env;
  const own = env[`${service.portVar.replace(/_PORT$/, '')}_DATABASE_URL`];
  if (own) return { ...env, DATABASE_URL: own };
  const url = new URL(env.DATABASE_URL);
  url.username = `hzn_${service.schema}`;
  url.password = '';
  return { ...env, DATABASE_URL: url.toString() };
}

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

/** Where `npm run build` puts a service's bundle and the agent runner's (tools/build.mjs). */
export const bundleOf = (name) => path.join(ROOT, 'apps', name, 'dist', 'main.cjs');
export const RUNNER_BUNDLE = path.join(ROOT, 'apps', 'agent-runner', 'dist', 'agent-runner.cjs');

/**
 * How a service starts in production (`npm run start:prod`, the images): node arguments and
 * environment that run its bundle. sandbox-manager copies the prebuilt runner instead of
 * bundling the runner's sources. The scripted model server is a development stand-in: it has
 * no bundle and keeps running from source.
 */
export function builtLaunch(service, env) {
  if (service.main) return { args: launchArgs(service, env), env };
  return {
    args: ['--enable-source-maps', bundleOf(service.name), ...(service.args ? service.args(env) : [])],
    env: service.name === 'sandbox-manager' ? { ...env, SANDBOX_RUNNER_BUNDLE: RUNNER_BUNDLE } : env,
  };
}
