import type { ScheduleDeclaration } from '@horizon/contracts';

/** What the sync compares of a stored schedule. */
export interface StoredSchedule extends ScheduleDeclaration {
  readonly id: string;
  readonly origin: 'config' | 'api';
}

type Declared = Omit<ScheduleDeclaration, 'name'>;

/** The changes that make a repository's config-declared schedules equal to its config's. */
export interface ScheduleSyncPlan {
  readonly create: readonly ScheduleDeclaration[];
  /** `timingChanged`: the cron or time zone moved, so the next tick is computed again. */
  readonly update: readonly { id: string; changes: Partial<Declared>; timingChanged: boolean }[];
  readonly remove: readonly { id: string; name: string }[];
  /**
   * Declared under a name an API schedule already has: the API one is kept (a person made it on
   * purpose) and the declaration is reported, not applied.
   */
  readonly shadowed: readonly string[];
}

const fields = ['cron', 'timezone', 'title', 'prompt', 'flavour'] as const;

/**
 * A repository's `.horizon/config.yaml` owns the schedules it declares: each declared one exists
 * with exactly those fields, and a config schedule it no longer declares goes. Schedules made
 * through the API are never touched. Pausing is not part of a declaration: a paused config
 * schedule stays paused when its config changes.
 */
export function planScheduleSync(
  stored: readonly StoredSchedule[],
  declared: readonly ScheduleDeclaration[],
): ScheduleSyncPlan {
  const byName = new Map(stored.map((s) => [s.name, s]));
  const declaredNames = new Set(declared.map((d) => d.name));
  const create: ScheduleDeclaration[] = [];
  const update: ScheduleSyncPlan['update'][number][] = [];
  const shadowed: string[] = [];
  for (const declaration of declared) {
    const current = byName.get(declaration.name);
    if (!current) create.push(declaration);
    else if (current.origin === 'api') shadowed.push(declaration.name);
    else {
      const changes: Partial<Declared> = {};
      for (const field of fields) {
        if (current[field] !== declaration[field]) Object.assign(changes, { [field]: declaration[field] });
      }
      if (Object.keys(changes).length > 0) {
        const timingChanged = 'cron' in changes || 'timezone' in changes;
        update.push({ id: current.id, changes, timingChanged });
      }
    }
  }
  const remove = stored
    .filter((s) => s.origin === 'config' && !declaredNames.has(s.name))
    .map(({ id, name }) => ({ id, name }));
  return { create, update, remove, shadowed };
}
