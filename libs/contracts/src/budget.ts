import { z } from 'zod';
import { defineContract } from './contract';
import { isoDate } from './domain';

/**
 * A limit in tokens (every input and output token the provider reported), in dollars, or both;
 * for one run also in minutes of wall time (the time it was working, not the time it was held).
 */
export const budgetLimitSchema = z.strictObject({
  tokens: z.number().int().positive().optional(),
  costUsd: z.number().positive().optional(),
  minutes: z.number().int().positive().optional(),
});
export type BudgetLimit = z.infer<typeof budgetLimitSchema>;

/** Wall time is one run's: an item's runs, a month or a day have no time of their own to limit. */
const wallTimeOfOneRun = budgetLimitSchema.refine((limit) => limit.minutes === undefined, {
  message: 'a limit in minutes (wall time) applies to one run only: put it under `run`',
  path: ['minutes'],
});

/** The scopes a limit applies to: one run, a work item's runs, a repository per UTC month, a person per UTC day. */
export const budgetScopes = ['run', 'item', 'project', 'personDay'] as const;
export type BudgetScope = (typeof budgetScopes)[number];

/** Limits by scope, as configuration and `.horizon/config.yaml` (`budgets:`) declare them. */
export const budgetLimitsSchema = z.strictObject({
  run: budgetLimitSchema.optional(),
  item: wallTimeOfOneRun.optional(),
  project: wallTimeOfOneRun.optional(),
  personDay: wallTimeOfOneRun.optional(),
});
export type BudgetLimits = z.infer<typeof budgetLimitsSchema>;

/**
 * What a run may still spend when it starts, the tightest of every limit that applies less what
 * its scope already spent; null: no limit of that kind. The egress proxy holds the model request
 * that comes once it is reached, so it is exceeded by at most the one response that crossed it.
 */
export const runAllowanceSchema = z.object({
  tokens: z.number().int().nonnegative().nullable(),
  costUsd: z.number().nonnegative().nullable(),
  /** Which limit each figure comes from, for the question the owner is asked. */
  tokensFrom: z.string().nullable(),
  costFrom: z.string().nullable(),
  /**
   * Wall time the run may work, in milliseconds, counted from its start without the time it was
   * held; null (and absent from a sender that predates it): no limit.
   */
  wallMs: z.number().int().nonnegative().nullable().default(null),
  wallFrom: z.string().nullable().default(null),
  /** How long a held run waits for its owner's answer before it is stopped (its work saved). */
  answerTimeoutMs: z.number().int().positive(),
});
export type RunAllowance = z.infer<typeof runAllowanceSchema>;

export const budgetActions = ['continue', 'stop'] as const;
export const budgetActionSchema = z.enum(budgetActions);
export type BudgetAction = z.infer<typeof budgetActionSchema>;

/** What a "continue" adds to the run's allowance. */
export const budgetExtraSchema = z.object({
  tokens: z.number().int().positive().nullable(),
  costUsd: z.number().positive().nullable(),
  /** Minutes more of wall time; absent from a sender (or a stored grant) that predates it. */
  minutes: z.number().int().positive().nullable().default(null),
});
export type BudgetExtra = z.infer<typeof budgetExtraSchema>;

export const sandboxBudgetReached = defineContract({
  kind: 'event',
  subject: 'hzn.evt.sandbox.budget_reached',
  version: 1,
  description:
    "A run reached its allowance: its egress proxy holds its next model request and its sandbox is paused until the owner's answer (hzn.cmd.sandbox.budget_answer) or the answer timeout.",
  data: z.object({
    runId: z.string().uuid(),
    sandboxId: z.string().uuid(),
    workItemId: z.string().uuid(),
    spentTokens: z.number().int().nonnegative(),
    /** Of the priced requests. */
    spentCostUsd: z.number().nonnegative(),
    /** In words: which limit, and how far it was passed ("run limit of 1,000 tokens: 1,200 spent"). */
    reason: z.string().min(1),
    /** When the run is stopped (its work saved) without an answer. */
    answerBy: isoDate,
  }),
});

export const sandboxBudgetAnswer = defineContract({
  kind: 'command',
  subject: 'hzn.cmd.sandbox.budget_answer',
  version: 1,
  description:
    "The owner's answer to a run held at its budget: continue (the allowance grows by `extra`, the sandbox thaws and the held request goes on) or stop (the held request is refused and the run ends, its work committed and pushed).",
  data: z.object({
    sandboxId: z.string().uuid(),
    runId: z.string().uuid(),
    action: budgetActionSchema,
    extra: budgetExtraSchema,
    /** Who answered, as the audit names them. */
    answeredBy: z.string().min(1),
  }),
});

export const budgetContracts = [sandboxBudgetReached, sandboxBudgetAnswer] as const;
