import type { BudgetExtra, BudgetLimit, BudgetLimits, BudgetScope, RunAllowance } from '@horizon/contracts';

/** Model tokens (input + output) and priced cost spent in a scope. */
export interface Spent {
  tokens: number;
  costUsd: number;
}

/** Everything that decides what a run of an item may spend. */
export interface BudgetFacts {
  /** The configuration's limits, with the repository's `budgets:` over them scope by scope. */
  limits: BudgetLimits;
  /** What people granted the item beyond its limits. */
  extra: BudgetExtra | null;
  /** Spent so far by the item's runs, the repository this month, the owner today (null: no owner). */
  spent: { item: Spent; project: Spent; personDay: Spent | null };
  answerTimeoutMs: number;
}

const scopeNames: Record<BudgetScope, string> = {
  run: 'run limit',
  item: 'work item limit',
  project: "the repository's monthly limit",
  personDay: "the owner's daily limit",
};

const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 2 });
const count = new Intl.NumberFormat('en-US');

/** The repository's limits replace the configuration's, scope by scope (a scope it leaves out keeps the default). */
export function mergeLimits(defaults: BudgetLimits, repo: BudgetLimits | null): BudgetLimits {
  return { ...defaults, ...(repo ?? {}) };
}

/** Adds a grant to another ("continue with $2 more" twice is $4 more). */
export function addExtra(current: BudgetExtra | null, more: BudgetExtra): BudgetExtra {
  const sum = (a: number | null | undefined, b: number | null) =>
    a == null && b === null ? null : (a ?? 0) + (b ?? 0);
  return {
    tokens: sum(current?.tokens, more.tokens),
    costUsd: sum(current?.costUsd, more.costUsd),
    minutes: sum(current?.minutes, more.minutes),
  };
}

/**
 * The run limit's wall time with what people granted: minutes of one run's working time, so
 * only the run scope has it and nothing already spent is taken off (each run starts afresh).
 */
function wallTime(facts: BudgetFacts): Remaining | null {
  const minutes = facts.limits.run?.minutes;
  if (minutes === undefined) return null;
  const grant = facts.extra?.minutes ?? 0;
  const plural = (n: number) => `${count.format(n)} minute${n === 1 ? '' : 's'}`;
  return {
    left: (minutes + grant) * 60_000,
    from: `${scopeNames.run} of ${plural(minutes)}${grant ? ` (plus ${plural(grant)} granted)` : ''}`,
  };
}

interface Remaining {
  left: number;
  from: string;
}

function remaining(
  facts: BudgetFacts,
  kind: 'tokens' | 'costUsd',
): { tightest: Remaining | null; spentOut: Remaining | null } {
  let tightest: Remaining | null = null;
  let spentOut: Remaining | null = null;
  const grant = facts.extra?.[kind] ?? 0;
  for (const scope of ['run', 'item', 'project', 'personDay'] as const) {
    const limit: BudgetLimit | undefined = facts.limits[scope];
    const value = limit?.[kind];
    if (value === undefined) continue;
    const spent =
      scope === 'run' ? 0 : scope === 'personDay' ? facts.spent.personDay?.[kind] : facts.spent[scope][kind];
    // A person-day limit means nothing for work that has no owner.
    if (spent === undefined) continue;
    const left = value + grant - spent;
    const shown = kind === 'tokens' ? `${count.format(value)} tokens` : usd.format(value);
    const from = `${scopeNames[scope]} of ${shown}${grant ? ` (plus ${kind === 'tokens' ? count.format(grant) : usd.format(grant)} granted)` : ''}`;
    if (!tightest || left < tightest.left) tightest = { left, from };
    if (scope !== 'run' && left <= 0 && !spentOut) spentOut = { left, from };
  }
  return { tightest, spentOut };
}

/** What a run may spend, or null when no limit applies to it at all. */
export function runAllowance(facts: BudgetFacts): RunAllowance | null {
  const tokens = remaining(facts, 'tokens').tightest;
  const cost = remaining(facts, 'costUsd').tightest;
  const wall = wallTime(facts);
  if (!tokens && !cost && !wall) return null;
  return {
    tokens: tokens ? Math.max(0, Math.floor(tokens.left)) : null,
    costUsd: cost ? Math.max(0, cost.left) : null,
    tokensFrom: tokens?.from ?? null,
    costFrom: cost?.from ?? null,
    wallMs: wall?.left ?? null,
    wallFrom: wall?.from ?? null,
    answerTimeoutMs: facts.answerTimeoutMs,
  };
}

/** Why a new run of the item may not start (a limit beyond one run's is spent), or null. */
export function startRefusal(facts: BudgetFacts): string | null {
  const tokens = remaining(facts, 'tokens').spentOut;
  if (tokens) return `${tokens.from} is spent`;
  const cost = remaining(facts, 'costUsd').spentOut;
  return cost ? `${cost.from} is spent` : null;
}

/**
 * Why a Slack user may not answer an item's budget: only its owner may, by the Slack account
 * linked to them (`answerer`: that account's identity, null when it is linked to none).
 */
export function slackAnswerRefusal(
  ownerId: string | null,
  answerer: string | null,
  who: string,
): string | null {
  return answerer !== null && answerer === ownerId
    ? null
    : `only the item's owner may answer, and ${who} is not them`;
}
