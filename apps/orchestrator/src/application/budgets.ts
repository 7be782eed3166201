import { Inject, Injectable } from '@nestjs/common';
import {
  budgetExtraSchema,
  sandboxBudgetAnswer,
  type BudgetAction,
  type BudgetExtra,
  type BudgetHold,
  type BudgetLimits,
  type DataOf,
  type RunAllowance,
  type sandboxBudgetReached,
  type sandboxSnapshotBuilt,
} from '@horizon/contracts';
import type { Logger } from '@horizon/observability';
import { addExtra, mergeLimits, runAllowance, startRefusal, type BudgetFacts } from '../domain/budget';
import { BudgetRepository } from '../persistence/budget.repository';
import { RunRepository } from '../persistence/run.repository';
import { WorkItemRepository, type WaitingFor, type WorkItemRow } from '../persistence/work-item.repository';
import { ORCHESTRATOR_CONFIG } from '../settings';
import type { OrchestratorConfig } from '../settings';
import { UnitOfWork } from './unit-of-work';
import { WorkItemTransitions } from './work-item-transitions';

const BUDGET_ACTOR = 'system:budget';
/** States whose run can be held at its budget. */
const holdable = ['running', 'verifying', 'revising'] as const;

function limitsOf(config: OrchestratorConfig): BudgetLimits {
  const limit = (tokens: number | undefined, costUsd: number | undefined, minutes?: number) =>
    tokens === undefined && costUsd === undefined && minutes === undefined
      ? undefined
      : {
          ...(tokens !== undefined ? { tokens } : {}),
          ...(costUsd !== undefined ? { costUsd } : {}),
          ...(minutes !== undefined ? { minutes } : {}),
        };
  const limits: BudgetLimits = {};
  const run = limit(config.BUDGET_RUN_TOKENS, config.BUDGET_RUN_COST_USD, config.BUDGET_RUN_MINUTES);
  const item = limit(config.BUDGET_ITEM_TOKENS, config.BUDGET_ITEM_COST_USD);
  const project = limit(config.BUDGET_PROJECT_TOKENS, config.BUDGET_PROJECT_COST_USD);
  const personDay = limit(config.BUDGET_PERSON_DAY_TOKENS, config.BUDGET_PERSON_DAY_COST_USD);
  if (run) limits.run = run;
  if (item) limits.item = item;
  if (project) limits.project = project;
  if (personDay) limits.personDay = personDay;
  return limits;
}

/** "$2.00 and 5,000 tokens", "15 minutes" */
export function describeExtra(extra: BudgetExtra): string {
  const parts = [
    extra.costUsd !== null ? `$${extra.costUsd.toFixed(2)}` : null,
    extra.tokens !== null ? `${new Intl.NumberFormat('en-US').format(extra.tokens)} tokens` : null,
    extra.minutes !== null ? `${extra.minutes} minute${extra.minutes === 1 ? '' : 's'}` : null,
  ].filter(Boolean);
  return parts.join(' and ') || 'nothing';
}

/**
 * What an item's runs may spend: the configuration's limits with the repository's `budgets:`
 * over them, less what the item, its repository this UTC month and its owner this UTC day spent
 * (the ModelUsage rows, which outlive any restart of the proxy's service), plus what people granted.
 */
@Injectable()
export class BudgetPolicy {
  private readonly defaults: BudgetLimits;

  constructor(
    private readonly store: BudgetRepository,
    @Inject(ORCHESTRATOR_CONFIG) private readonly config: OrchestratorConfig,
  ) {
    this.defaults = limitsOf(config);
  }

  /** Null when no limit applies to the item at all: nothing to count, nothing to hold. */
  async facts(uow: UnitOfWork, item: WorkItemRow): Promise<BudgetFacts | null> {
    const limits = mergeLimits(this.defaults, await this.store.repoLimits(uow.tx, item.repo));
    if (Object.keys(limits).length === 0) return null;
    const now = uow.now;
    const monthStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
    const dayStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
    return {
      limits,
      extra: item.budgetExtra ? budgetExtraSchema.parse(item.budgetExtra) : null,
      spent: await this.store.spent(uow.tx, item, monthStart, dayStart),
      answerTimeoutMs: this.config.BUDGET_ANSWER_TIMEOUT_MS,
    };
  }

  async allowance(uow: UnitOfWork, item: WorkItemRow): Promise<RunAllowance | null> {
    const facts = await this.facts(uow, item);
    return facts && runAllowance(facts);
  }

  async startRefusal(uow: UnitOfWork, item: WorkItemRow): Promise<string | null> {
    const facts = await this.facts(uow, item);
    return facts && startRefusal(facts);
  }

  /** A default-branch snapshot's `budgets:` become the repository's limits. */
  async declared(uow: UnitOfWork, snapshot: DataOf<typeof sandboxSnapshotBuilt>): Promise<void> {
    if (snapshot.budgets)
      await this.store.saveRepoLimits(uow.tx, snapshot.repo, snapshot.commit, snapshot.budgets);
  }
}

/** What an answer did, for the audit when it did nothing. */
export type BudgetAnswerOutcome = { applied: true } | { applied: false; reason: string };

/**
 * An item at a budget: `waiting` while its run is held (or it may not start), and the owner's
 * answer that takes it back — to the held run as `hzn.cmd.sandbox.budget_answer`, or to `queued`.
 */
@Injectable()
export class BudgetWaits {
  constructor(
    private readonly items: WorkItemRepository,
    private readonly runs: RunRepository,
    private readonly transitions: WorkItemTransitions,
  ) {}

  /** sandbox-manager held a run: its item waits for the owner's answer. */
  async reached(uow: UnitOfWork, data: DataOf<typeof sandboxBudgetReached>, logger: Logger): Promise<void> {
    const run = await this.runs.get(uow.tx, data.runId);
    let item = run ? await this.items.get(uow.tx, run.workItemId) : null;
    // Run reports and sandbox facts come on different consumers: the hold may overtake the harness start.
    if (run && item?.state === 'provisioning')
      item = await this.transitions.move(
        uow,
        item,
        'running',
        'its run was held at its budget before its harness start was reported',
        {
          actor: BUDGET_ACTOR,
          runId: run.id,
        },
      );
    if (!run || !item || run.outcome !== null || !(holdable as readonly string[]).includes(item.state)) {
      logger.info({ runId: data.runId, state: item?.state }, 'budget hold of a run that moved on ignored');
      return;
    }
    const waitingFor: WaitingFor = {
      kind: 'run',
      reason: data.reason,
      resumeTo: item.state,
      runId: run.id,
      answerBy: data.answerBy,
    };
    await this.transitions.move(
      uow,
      item,
      'waiting',
      `its run is held at its budget (${data.reason}); continue with more, or stop, by ${data.answerBy}`,
      { actor: BUDGET_ACTOR, runId: run.id, changes: { waitingFor } },
    );
  }

  /** A new run may not start: the item waits with the reason. */
  async refuseStart(uow: UnitOfWork, item: WorkItemRow, reason: string): Promise<void> {
    const waitingFor: WaitingFor = { kind: 'start', reason, resumeTo: 'queued', runId: null, answerBy: null };
    await this.transitions.move(
      uow,
      item,
      'waiting',
      `${reason}: it may not start until a person grants more`,
      {
        actor: BUDGET_ACTOR,
        changes: { waitingFor },
      },
    );
  }

  /** Before a report of its held run applies: the item goes back to the state it waited in. */
  async runEnded(uow: UnitOfWork, item: WorkItemRow, runId: string, what: string): Promise<WorkItemRow> {
    const waiting = this.waitingOf(item);
    if (item.state !== 'waiting' || !waiting || waiting.runId !== runId) return item;
    return this.transitions.move(uow, item, waiting.resumeTo, `the run held at its budget ${what}`, {
      actor: BUDGET_ACTOR,
      runId,
    });
  }

  /**
   * The hold the item waits at, or why it has none to answer; with `since` (an answer that names
   * its hold: the Slack modal's), only the hold that began then.
   */
  hold(item: WorkItemRow, since: string | null = null): { hold: BudgetHold } | { refusal: string } {
    const waiting = this.waitingOf(item);
    if (item.state !== 'waiting' || !waiting)
      return { refusal: `the item is ${item.state}, not waiting at a budget` };
    const began = item.stateEnteredAt.toISOString();
    if (since !== null && since !== began)
      return {
        refusal: `the hold it answers (since ${since}) is over; the item waits at another since ${began}`,
      };
    const { kind, reason, answerBy } = waiting;
    return { hold: { workItemId: item.id, since: began, kind, reason, answerBy } };
  }

  async answer(
    uow: UnitOfWork,
    item: WorkItemRow,
    action: BudgetAction,
    extra: BudgetExtra,
    actor: string,
    holdSince: string | null = null,
  ): Promise<BudgetAnswerOutcome> {
    const current = this.hold(item, holdSince);
    if ('refusal' in current) return { applied: false, reason: current.refusal };
    const waiting = this.waitingOf(item)!;
    if (action === 'continue' && extra.tokens === null && extra.costUsd === null && extra.minutes === null)
      return { applied: false, reason: '"continue" needs an extra amount (dollars, tokens or minutes)' };
    const budgetExtra =
      action === 'continue'
        ? addExtra(item.budgetExtra ? budgetExtraSchema.parse(item.budgetExtra) : null, extra)
        : undefined;
    const changes = budgetExtra ? { budgetExtra } : {};
    if (waiting.kind === 'start') {
      if (action === 'stop') {
        await this.transitions.move(uow, item, 'cancelled', `stopped at its budget by ${actor}`, { actor });
      } else {
        const cause = `${actor} granted ${describeExtra(extra)} more: it may start`;
        await this.transitions.move(uow, item, 'queued', cause, { actor, changes });
      }
      return { applied: true };
    }
    const run = waiting.runId ? await this.runs.get(uow.tx, waiting.runId) : null;
    if (!run?.sandboxId || run.outcome !== null)
      return { applied: false, reason: `its held run ${waiting.runId} is no longer in flight` };
    uow.emit(sandboxBudgetAnswer, {
      sandboxId: run.sandboxId,
      runId: run.id,
      action,
      extra,
      answeredBy: actor,
    });
    // The deadline stood still while the run was held (sandbox-manager moves the runner's the
    // same way): the watchdog must not time out a run that goes on, or saves its work, at once.
    await this.runs.extendDeadline(
      uow.tx,
      run.id,
      Math.max(0, uow.now.getTime() - item.stateEnteredAt.getTime()),
    );
    const cause =
      action === 'continue'
        ? `${actor} let the run go on with ${describeExtra(extra)} more`
        : `${actor} stopped the run at its budget; its work is saved on ${run.branch}`;
    await this.transitions.move(uow, item, waiting.resumeTo, cause, { actor, runId: run.id, changes });
    return { applied: true };
  }

  private waitingOf(item: WorkItemRow): WaitingFor | null {
    return (item.waitingFor as WaitingFor | null) ?? null;
  }
}
