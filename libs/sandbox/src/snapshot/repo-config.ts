import {
  budgetLimitsSchema,
  defaultRetroSettings,
  defaultReviewSettings,
  previewSettingsSchema,
  repoAgentSettingsSchema,
  repoRetroSettingsSchema,
  repoReviewSettingsSchema,
  scheduleDeclarationSchema,
} from '@horizon/contracts';
import { z } from 'zod';
import { parseRepoFile, readRepoFile } from './repo-file';

/** A repository's `.horizon/config.yaml` (documented in docs/sandbox.md). */
export const repoConfigSchema = z
  .object({
    /** Shell commands run once per snapshot, in the repository root, e.g. `npm ci`. */
    setup: z.array(z.string().min(1)).default([]),
    /** Shell commands a run must pass before it pushes, e.g. `npm test`. */
    verify: z.array(z.string().min(1)).default([]),
    egress: z
      .object({
        /** Extra `host` or `host:port` entries for the plan and implement allowlists. */
        allow: z
          .array(z.string().regex(/^(\*\.)?[A-Za-z0-9.-]+(:\d{1,5})?$/, 'host or host:port'))
          .default([]),
      })
      .strict()
      .default({ allow: [] }),
    /** Work started on a cron schedule; the orchestrator keeps them as declared at the default branch's HEAD. */
    schedules: z
      .array(scheduleDeclarationSchema)
      .default([])
      .refine((schedules) => new Set(schedules.map((s) => s.name)).size === schedules.length, {
        message: 'two schedules share a name; names are unique in a repository',
      }),
    /** The agent review station: whether people's PRs are reviewed too, and how many self-revisions. */
    review: repoReviewSettingsSchema.default(defaultReviewSettings),
    /** Model spending limits of this repository's work (run, item, project per month, person per day). */
    budgets: budgetLimitsSchema.default({}),
    /** How its runs are made: `harness:` a name, or one per flavour (an item's `harness:<name>` label wins). */
    agent: repoAgentSettingsSchema.default({}),
    /** The weekly retro every repository gets: `weekly: false` declines it (a declared retro replaces it anyway). */
    retro: repoRetroSettingsSchema.default(defaultRetroSettings),
    /** How to run the app for browser verification (`.horizon/verify.yaml`); absent, no browser checks run. */
    preview: previewSettingsSchema.optional(),
  })
  .strict();

export type RepoConfig = z.infer<typeof repoConfigSchema>;

export const repoConfigPath = '.horizon/config.yaml';

export function parseRepoConfig(text: string): RepoConfig {
  return parseRepoFile(repoConfigSchema, repoConfigPath, text);
}

/** A repository without the file gets the defaults: no setup, no verify, no extra hosts. */
export async function readRepoConfig(repoDir: string): Promise<RepoConfig> {
  return parseRepoConfig((await readRepoFile(repoDir, repoConfigPath)) ?? '');
}
