import { hostname } from 'node:os';
import { z } from 'zod';
import { modelProviders, type ModelProvider } from '@horizon/contracts';
import { baseConfig, ConfigError, durationMs, port, positiveInt, url, listenHost } from '@horizon/config';
import { defaultModelPrices, modelPriceSchema, type PriceTable } from './domain/model-prices';

const optionalText = (what: string) => z.string().min(1).optional().describe(what);
/** A bound in milliseconds where 0 is meaningful (anything above it counts). */
const thresholdMs = (fallback: number) =>
  z.coerce.number().int().min(0).default(fallback).describe('a duration in milliseconds (0 or more)');

/** Everything sandbox-manager reads from the environment, parsed once at start. */
export const configShape = {
  ...baseConfig,
  SANDBOX_MANAGER_PORT: port(9102),
  SANDBOX_MANAGER_HOST: listenHost,
  /** Root-owned folder for sandboxes, snapshots and run artifacts; default `<HORIZON_DATA_DIR>/sandbox`. */
  SANDBOX_STATE_DIR: optionalText('a directory path'),
  /** The agent runner prebuilt by `npm run build` (apps/agent-runner/dist/agent-runner.cjs); unset: bundled from its sources at start. */
  SANDBOX_RUNNER_BUNDLE: optionalText('a file path (the agent runner `npm run build` made)'),
  /** Name recorded on each Sandbox row; on start, rows of this host that no longer exist are failed. */
  SANDBOX_HOST_NAME: z.string().min(1).default(hostname()).describe('a host name'),
  /** Unprivileged host uid (and gid) every sandbox process and file maps to. */
  SANDBOX_HOST_UID: positiveInt(100_000),
  /** Where repositories live: `https://github.com`, a local smart-HTTP forge, or a folder of `<owner>/<name>.git`. */
  SANDBOX_FORGE_URL: z.string().min(1).default('https://github.com').describe('a URL or a directory path'),
  /** Token the host clones with and the egress proxy adds to git requests; unset for public or local forges. */
  SANDBOX_FORGE_TOKEN: optionalText('a forge token'),
  /**
   * The wire the agent speaks and how the proxy's model route sends the key: `anthropic`
   * (Messages API, `x-api-key`), `openai` or `openai-compatible` (chat completions, Bearer).
   */
  SANDBOX_MODEL_PROVIDER: z
    .enum(modelProviders)
    .default('openai-compatible')
    .describe(`one of ${modelProviders.join(', ')}`),
  /** The provider's API base the model route forwards to; `openai` and `anthropic` have their public one as default. */
  SANDBOX_MODEL_BASE_URL: url(['http', 'https']).optional(),
  /** Held by the egress proxy only: it never enters a sandbox. */
  SANDBOX_MODEL_API_KEY: optionalText('an API key'),
  /**
   * Set when the GitHub App is configured (identity-broker holds its key): each run's egress
   * proxy then gets an installation token minted for the run, revoked when it ends, instead of
   * `SANDBOX_FORGE_TOKEN`.
   */
  GITHUB_APP_ID: optionalText('the GitHub App id'),
  /** Where a fix run's GitHub check logs are read (with a read-only token minted for it). */
  GITHUB_API_URL: url(['https', 'http']).default('https://api.github.com'),
  /** Model ids the agent asks the provider for (through the proxy's model route). */
  RUN_MODEL: z.string().min(1).default('default').describe('a model id'),
  RUN_SMALL_MODEL: optionalText('a model id'),
  /** Author and committer of the agent's commits, and its Co-authored-by trailer. */
  AGENT_NAME: z.string().min(1).default('Horizon Agent').describe('a name'),
  AGENT_EMAIL: z
    .string()
    .min(3)
    .default('horizon-agent@users.noreply.github.com')
    .describe('an email address'),
  /** mcp-context's base URL as this host reaches it; unset: runs get no MCP server. */
  MCP_CONTEXT_URL: url(['http', 'https']).optional(),
  /** The run-token secret shared with mcp-context; unset: `<HORIZON_DATA_DIR>/mcp-token.key`. */
  MCP_TOKEN_SECRET: z
    .string()
    .min(32)
    .optional()
    .describe('the run-token HMAC secret, at least 32 characters'),
  /** After a cancel, or past a run's deadline, how long the runner has to report before it is killed. */
  RUN_GRACE_MS: durationMs(30_000),
  /** Every this often, each snapshot series is rebuilt if its repository's default branch moved. */
  SNAPSHOT_REFRESH_MS: durationMs(3_600_000),
  /** Snapshots kept per repository and flavour after a rebuild (mounted ones are always kept). */
  SNAPSHOT_KEEP: positiveInt(2),
  /** A run that waited longer than this for its snapshot's build (the repository's setup) records `slow_setup` friction. */
  SLOW_SNAPSHOT_BUILD_MS: thresholdMs(120_000),
  /** A run whose sandbox boot and workspace checkout took longer than this records `slow_setup` friction. */
  SLOW_SANDBOX_BOOT_MS: thresholdMs(15_000),
  /**
   * Whether this host checks runs' previews in a browser (docs/browser-verification.md): `off`
   * leaves a repository's `preview` unstarted, as does a host without Debian's Chromium.
   */
  BROWSER_CHECKS: z.enum(['on', 'off']).default('on').describe('on or off'),
  /** Memory of the verify sandbox that checks a run's preview in Chromium (docs/browser-verification.md). */
  BROWSER_CHECK_MEMORY_MIB: positiveInt(1024),
  /**
   * Model prices in USD per million tokens, over the built-in list prices (docs/sandbox.md),
   * e.g. `{"anthropic:claude-sonnet-4":{"input":3,"output":15,"cachedInput":0.3,"cacheWrite":3.75}}`.
   * Keys are model id prefixes, optionally `provider:`-qualified; a model matching none is unpriced.
   */
  MODEL_PRICES: z
    .string()
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'not JSON' });
        return z.NEVER;
      }
    })
    .pipe(z.record(z.string().min(1), modelPriceSchema))
    .optional()
    .describe(
      'a JSON object of model id prefix to {input, output, cachedInput?, cacheWrite?} USD per million tokens',
    ),
};

export type SandboxManagerConfig = z.infer<z.ZodObject<typeof configShape>>;

/** Where the public providers' APIs are: what `SANDBOX_MODEL_BASE_URL` defaults to. */
export const providerBaseUrls: Partial<Record<ModelProvider, string>> = {
  openai: 'https://api.openai.com/v1',
  anthropic: 'https://api.anthropic.com/v1',
};

/** What the egress proxy's model route forwards to. */
export interface ModelProviderConfig {
  provider: ModelProvider;
  baseUrl: string;
  apiKey: string;
}

/** The built-in list prices with `MODEL_PRICES` over them. */
export function priceTable(config: Pick<SandboxManagerConfig, 'MODEL_PRICES'>): PriceTable {
  return { ...defaultModelPrices, ...config.MODEL_PRICES };
}

type ModelSettings = Pick<
  SandboxManagerConfig,
  'SANDBOX_MODEL_PROVIDER' | 'SANDBOX_MODEL_BASE_URL' | 'SANDBOX_MODEL_API_KEY'
>;

/**
 * The model provider from the three `SANDBOX_MODEL_*` variables, or null when none is
 * configured (then provisions are refused, or `npm start` plays the scripted model server).
 * A provider half set up throws the `ConfigError` naming what is missing.
 */
export function modelProviderConfig(config: ModelSettings): ModelProviderConfig | null {
  const provider = config.SANDBOX_MODEL_PROVIDER;
  const baseUrl = config.SANDBOX_MODEL_BASE_URL ?? providerBaseUrls[provider];
  const apiKey = config.SANDBOX_MODEL_API_KEY;
  const chosen = provider !== 'openai-compatible' || config.SANDBOX_MODEL_BASE_URL !== undefined;
  if (!chosen && apiKey === undefined) return null;
  if (baseUrl === undefined)
    throw new ConfigError(
      'SANDBOX_MODEL_BASE_URL',
      'a URL: SANDBOX_MODEL_PROVIDER=openai-compatible has no default base URL',
      undefined,
    );
  if (apiKey === undefined)
    throw new ConfigError('SANDBOX_MODEL_API_KEY', `an API key for the ${provider} provider`, undefined);
  return { provider, baseUrl, apiKey };
}
