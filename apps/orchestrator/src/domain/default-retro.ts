import type { RepoRetroSettings, ScheduleDeclaration } from '@horizon/contracts';

/** The default retro's name; a schedule a repository declares under it is its own. */
export const DEFAULT_RETRO_SCHEDULE = 'weekly-retro';

/**
 * The schedules a repository's config gives it: the ones it declares, plus a weekly retro at
 * `cron` (UTC), so every repository's papercuts are read without anyone having to ask. A week
 * without papercuts costs one ignored tick. The retro is left out when the deployment turned it
 * off (`cron` null), the repository declined it (`retro: { weekly: false }`), or the repository
 * has a retro of its own: any schedule of flavour `retro`, or one under the default's name,
 * replaces it. It is a config schedule like the declared ones, so it is created, changed and
 * removed with them, and pausing it stays a person's choice.
 */
export function withDefaultRetro(
  declared: readonly ScheduleDeclaration[],
  settings: RepoRetroSettings,
  cron: string | null,
): ScheduleDeclaration[] {
  const hasOwn = declared.some((d) => d.flavour === 'retro' || d.name === DEFAULT_RETRO_SCHEDULE);
  if (cron === null || !settings.weekly || hasOwn) return [...declared];
  return [
    ...declared,
    {
      name: DEFAULT_RETRO_SCHEDULE,
      cron,
      timezone: 'UTC',
      title:
        "Weekly retro (every repository's default; `retro: { weekly: false }` in .horizon/config.yaml declines it)",
      prompt: 'Start with the papercuts that cost the most runs; propose nothing the evidence does not show.',
      flavour: 'retro',
    },
  ];
}
