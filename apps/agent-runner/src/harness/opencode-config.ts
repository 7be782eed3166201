import { join } from 'node:path';
import type { HarnessModelConfig } from './harness';

/** Provider id inside the generated configuration; models are `scripted/<id>`-style refs. */
export const OPENCODE_PROVIDER_ID = 'horizon';

/** Where a run's folders go, all under its state folder. */
export function openCodeDirs(stateDir: string) {
  const home = join(stateDir, 'home');
  return {
    home,
    config: join(home, '.config'),
    data: join(home, '.local', 'share'),
    cache: join(home, '.cache'),
    state: join(home, '.local', 'state'),
    /** Holds the provider key file, outside the agent's working directory. */
    secrets: join(stateDir, 'secrets'),
  };
}

/**
 * What the Anthropic provider sends as its key when the run has none: `@ai-sdk/anthropic`
 * refuses to start without one, and in a sandbox the egress proxy replaces it with the real
 * key. Not a secret, and never accepted by Anthropic.
 */
export const PROXY_KEY_PLACEHOLDER = 'horizon-egress-proxy-adds-the-key';

/**
 * The AI SDK provider package for the run's wire. Both are built into the OpenCode binary, so
 * nothing is installed at run time; `openai` speaks chat completions like any compatible API.
 */
function providerPackage(model: HarnessModelConfig): string {
  return model.provider === 'anthropic' ? '@ai-sdk/anthropic' : '@ai-sdk/openai-compatible';
}

/**
 * The whole OpenCode configuration of a run, passed in `OPENCODE_CONFIG_CONTENT` so that no
 * `opencode.json` lands in the repository. The key is referenced as `{file:…}`, which
 * OpenCode reads itself: the variable (which every command the agent runs inherits) holds
 * no secret.
 */
export function openCodeConfig(
  model: HarnessModelConfig,
  apiKeyFile: string | undefined,
  mcp?: { url: string; tokenFile: string; runId: string },
): Record<string, unknown> {
  const modelEntry = (id: string) => ({
    name: id,
    ...(model.costPerMillionTokens ? { cost: model.costPerMillionTokens } : {}),
  });
  const small = model.smallModel ?? model.model;
  return {
    $schema: 'https://opencode.ai/config.json',
    autoupdate: false,
    share: 'disabled',
    // Snapshots copy the worktree into OpenCode's own git store at every step, for its undo;
    // the run's branch is the record here, and a big repository would pay for each copy.
    snapshot: false,
    model: `${OPENCODE_PROVIDER_ID}/${model.model}`,
    small_model: `${OPENCODE_PROVIDER_ID}/${small}`,
    provider: {
      [OPENCODE_PROVIDER_ID]: {
        npm: providerPackage(model),
        name: 'Horizon model provider',
        options: { baseURL: model.baseUrl, ...apiKeyOption(model, apiKeyFile) },
        models: { [model.model]: modelEntry(model.model), [small]: modelEntry(small) },
      },
    },
    ...(mcp
      ? {
          mcp: {
            horizon: {
              type: 'remote',
              url: mcp.url,
              enabled: true,
              // mcp-context refuses a token sent for another run than the one it was minted for.
              headers: { Authorization: `Bearer {file:${mcp.tokenFile}}`, 'X-Horizon-Run': mcp.runId },
            },
          },
        }
      : {}),
    // `run` has nobody to answer a prompt: what is not allowed is refused outright.
    permission: {
      edit: 'allow',
      bash: 'allow',
      webfetch: 'allow',
      external_directory: 'deny',
      doom_loop: 'deny',
    },
  };
}

function apiKeyOption(model: HarnessModelConfig, apiKeyFile: string | undefined): { apiKey?: string } {
  if (apiKeyFile) return { apiKey: `{file:${apiKeyFile}}` };
  return model.provider === 'anthropic' ? { apiKey: PROXY_KEY_PLACEHOLDER } : {};
}

/**
 * The complete environment of the OpenCode process: HOME and the XDG folders point into the
 * run's state folder, the switches that keep it from reaching the network at start are on,
 * and only PATH, LANG and the task's own variables come from outside.
 */
export function openCodeEnv(options: {
  stateDir: string;
  config: Record<string, unknown>;
  path: string;
  taskEnv: Record<string, string> | undefined;
}): Record<string, string> {
  const dirs = openCodeDirs(options.stateDir);
  return {
    PATH: options.path,
    LANG: 'C.UTF-8',
    ...options.taskEnv,
    HOME: dirs.home,
    XDG_CONFIG_HOME: dirs.config,
    XDG_DATA_HOME: dirs.data,
    XDG_CACHE_HOME: dirs.cache,
    XDG_STATE_HOME: dirs.state,
    OPENCODE_CONFIG_CONTENT: JSON.stringify(options.config),
    OPENCODE_DISABLE_MODELS_FETCH: '1',
    OPENCODE_DISABLE_AUTOUPDATE: '1',
    OPENCODE_DISABLE_LSP_DOWNLOAD: '1',
    OPENCODE_DISABLE_DEFAULT_PLUGINS: '1',
    OPENCODE_DISABLE_CLAUDE_CODE: '1',
  };
}

/**
 * Files that make OpenCode skip its start-up `npm install @opencode-ai/plugin` into
 * `$XDG_CONFIG_HOME/opencode`: it installs only when `node_modules` is missing or the lock
 * file's root lacks a dependency. An empty `node_modules` and a lock naming the package are
 * enough (no package is needed, nothing loads it); a read-only folder would do too, but not
 * for root, whom the check lets write anywhere.
 */
export const PLUGIN_INSTALL_SEED = {
  lockFile: 'package-lock.json',
  lock: { lockfileVersion: 3, packages: { '': { dependencies: { '@opencode-ai/plugin': '*' } } } },
  nodeModules: 'node_modules',
} as const;
