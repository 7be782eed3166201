import { z } from 'zod';
import { baseConfig, budgetContinueConfig, listenHost, port, url } from '@horizon/config';

/** Everything notifier reads from the environment, parsed once at start. */
export const configShape = {
  ...baseConfig,
  NOTIFIER_PORT: port(9104),
  NOTIFIER_HOST: listenHost,
  ...budgetContinueConfig,
  /**
   * The bearer token `GET /events` (every message, verbose) asks for. Unset, the stream is off:
   * it carries the work's content, and nothing of Horizon's needs it (the console reads HZN_EVT).
   */
  NOTIFIER_EVENTS_TOKEN: z
    .string()
    .min(24)
    .optional()
    .describe('a random secret of 24 or more characters (e.g. openssl rand -hex 24)'),
  /** Bot token (`xoxb-…`); Slack delivery is off without it. */
  SLACK_BOT_TOKEN: z
    .string()
    .regex(/^xox[bp]-/)
    .optional()
    .describe('a Slack bot token starting with xoxb-'),
  SLACK_API_URL: url(['https', 'http'], 'https://slack.com/api/'),
  /** The Linear app actor's OAuth access token; Linear delivery is off without it. */
  LINEAR_ACCESS_TOKEN: z.string().min(1).optional().describe('a Linear OAuth access token'),
  LINEAR_API_URL: url(['https', 'http'], 'https://api.linear.app'),
  /** Where pull requests are opened; the tokens come from identity-broker (docs/identity.md). */
  GITHUB_API_URL: url(['https', 'http'], 'https://api.github.com'),
  /** The local forge (`apps/forge`), where `forge: local` pull requests are opened. */
  FORGE_URL: url(['http', 'https'], 'http://127.0.0.1:8060'),
  FORGE_TOKEN: z
    .string()
    .min(16)
    .optional()
    .describe("the local forge's token (unset: read from $HORIZON_DATA_DIR/forge.token)"),
  /**
   * Where people reach the console (the variable the console reads too): a PR's browser check
   * links its screenshots and diffs there. Unset, the console as `npm start` runs it.
   */
  CONSOLE_PUBLIC_URL: url(['http', 'https'])
    .optional()
    .describe(
      "a URL with scheme http:// or https:// (unset: the console's listen address; the notifier's links assume http://127.0.0.1:8050)",
    ),
};
