import { hostname } from 'node:os';
import { z } from 'zod';
import { baseConfig, durationMs, port, positiveInt, url } from '@horizon/config';

const optionalText = (what: string) => z.string().min(1).optional().describe(what);

/** Everything sandbox-manager reads from the environment, parsed once at start. */
export const configShape = {
  ...baseConfig,
  SANDBOX_MANAGER_PORT: port(9102),
  /** Root-owned folder for sandboxes, snapshots and run artifacts; default `<HORIZON_DATA_DIR>/sandbox`. */
  SANDBOX_STATE_DIR: optionalText('a directory path'),
  /** Name recorded on each Sandbox row; on start, rows of this host that no longer exist are failed. */
  SANDBOX_HOST_NAME: z.string().min(1).default(hostname()).describe('a host name'),
  /** Unprivileged host uid (and gid) every sandbox process and file maps to. */
  SANDBOX_HOST_UID: positiveInt(100_000),
  /** Where repositories live: `https://github.com`, a local smart-HTTP forge, or a folder of `<owner>/<name>.git`. */
  SANDBOX_FORGE_URL: z.string().min(1).default('https://github.com').describe('a URL or a directory path'),
  /** Token the host clones with and the egress proxy adds to git requests; unset for public or local forges. */
  SANDBOX_FORGE_TOKEN: optionalText('a forge token'),
  /** The model provider's API base the proxy's model route forwards to, e.g. `https://api.openai.com/v1`. */
  SANDBOX_MODEL_BASE_URL: optionalText('a URL'),
  SANDBOX_MODEL_API_KEY: optionalText('an API key'),
  /**
   * Set when the GitHub App is configured (identity-broker holds its key): each run's egress
   * proxy then gets an installation token minted for the run, revoked when it ends, instead of
   * `SANDBOX_FORGE_TOKEN`.
   */
  GITHUB_APP_ID: optionalText('the GitHub App id'),
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
};

export type SandboxManagerConfig = z.infer<z.ZodObject<typeof configShape>>;
