import { JetStreamConnection } from '@horizon/messaging';
import type pg from 'pg';
import { deadLetters, type DeadLetter } from '../dead-letters';
import { sleep, type SentRequest } from './client';
import type { FaultResult, PhaseResult } from './faults';
import type { FaultStack } from './stack';

/** The orchestrator's inbox consumer: each ingress envelope it applied has a row under it. */
const ORCHESTRATOR_INBOX = 'orchestrator-ingress';

/** A query through the admin pool, retried while Postgres is still coming back from a restart. */
async function query<R extends pg.QueryResultRow>(admin: pg.Pool, sql: string, params: unknown[] = []) {
  for (let attempt = 1; ; attempt++) {
    try {
      return (await admin.query<R>(sql, params)).rows;
    } catch (err) {
      if (attempt >= 20) throw err;
      await sleep(250);
    }
  }
}

interface Effects {
  processed: Set<string>;
  /** Work items per title (`chaos <key>`). */
  items: Map<string, number>;
}

async function effects(stack: FaultStack, requests: readonly SentRequest[]): Promise<Effects> {
  const ids = requests.flatMap((r) => (r.envelopeId ? [r.envelopeId] : []));
  const processed = await query<{ envelopeId: string }>(
    stack.admin,
    `SELECT "envelopeId" FROM orchestrator."ProcessedMessage" WHERE "consumer" = $1 AND "envelopeId" = ANY($2)`,
    [ORCHESTRATOR_INBOX, ids],
  );
  const items = await query<{ title: string; n: number }>(
    stack.admin,
    `SELECT "title", count(*)::int AS n FROM orchestrator."WorkItem" WHERE "title" LIKE 'chaos %' GROUP BY "title"`,
  );
  return {
    processed: new Set(processed.map((r) => r.envelopeId)),
    items: new Map(items.map((r) => [r.title, r.n])),
  };
}

/** Applied in effect: the orchestrator's inbox has it and, where it creates a work item, that item exists. */
function applied(r: SentRequest, e: Effects): boolean {
  return (
    !!r.envelopeId && e.processed.has(r.envelopeId) && (r.title === null || (e.items.get(r.title) ?? 0) > 0)
  );
}

/** Waits until every accepted request is applied, or `timeoutMs` passed; how long it took. */
export async function settle(stack: FaultStack, requests: readonly SentRequest[], timeoutMs: number) {
  const started = Date.now();
  const accepted = requests.filter((r) => r.outcome === 'accepted');
  while (Date.now() - started < timeoutMs) {
    const e = await effects(stack, accepted);
    if (accepted.every((r) => applied(r, e))) break;
    await sleep(500);
  }
  return Date.now() - started;
}

export interface PhaseCounts {
  phase: string;
  sent: number;
  accepted: number;
  /** A final answer other than 2xx or 503 (each listed with its status in `problems`). */
  refused: number;
  gaveUp: number;
  processed: number;
  duplicated: number;
  lost: number;
  recoveryMs: number | null;
  /** Accepted requests a second, over the burst's wall time. */
  throughput: number;
}

export interface ChaosVerdict {
  phases: PhaseCounts[];
  total: PhaseCounts;
  deadLetters: DeadLetter[];
  /** Work items in a watched state for longer than its bound. */
  overdue: string[];
  crashes: string[];
  /** Everything that should not be: empty when the stack rode out every fault. */
  problems: string[];
}

/** State → how long an item may stay in it (the orchestrator watchdog's bounds). */
export type StateBounds = Readonly<Partial<Record<string, { afterMs: number }>>>;

export async function verify(
  stack: FaultStack,
  results: readonly (PhaseResult | FaultResult)[],
  bounds: StateBounds,
): Promise<ChaosVerdict> {
  const all = results.flatMap((r) => r.requests);
  const e = await effects(stack, all);
  const problems: string[] = [];
  const count = (
    phase: string,
    requests: readonly SentRequest[],
    burstMs: number,
    recoveryMs: number | null,
  ) => {
    const accepted = requests.filter((r) => r.outcome === 'accepted');
    const lost = accepted.filter((r) => !applied(r, e));
    const duplicated = requests.filter((r) => r.title !== null && (e.items.get(r.title) ?? 0) > 1);
    for (const r of lost)
      problems.push(`lost (${phase}): ${r.kind} ${r.envelopeId ?? r.title} got a 2xx and was never applied`);
    for (const r of duplicated)
      problems.push(`duplicated (${phase}): ${r.title} has ${e.items.get(r.title!)} work items`);
    for (const r of requests.filter((x) => x.outcome === 'refused'))
      problems.push(`refused (${phase}): ${r.kind} answered ${r.status} after ${r.attempts} attempt(s)`);
    return {
      phase,
      sent: requests.length,
      accepted: accepted.length,
      refused: requests.filter((r) => r.outcome === 'refused').length,
      gaveUp: requests.filter((r) => r.outcome === 'gave-up').length,
      processed: accepted.length - lost.length,
      duplicated: duplicated.length,
      lost: lost.length,
      recoveryMs,
      throughput: burstMs > 0 ? Math.round((accepted.length / burstMs) * 10_000) / 10 : 0,
    };
  };
  const phases = results.map((r) =>
    count(r.fault, r.requests, r.burstMs, 'recoveryMs' in r ? r.recoveryMs : null),
  );
  for (const p of phases.filter((x) => x.gaveUp > 0))
    problems.push(`gave up (${p.phase}): ${p.gaveUp} request(s) never got a 2xx`);
  const total = count('total', [], 0, null);
  for (const key of ['sent', 'accepted', 'refused', 'gaveUp', 'processed', 'duplicated', 'lost'] as const)
    total[key] = phases.reduce((sum, p) => sum + p[key], 0);

  const conn = await JetStreamConnection.connect({
    natsUrl: stack.nats.url,
    prefix: stack.messaging.prefix,
    name: 'chaos-verify',
  });
  const letters = await deadLetters(conn).finally(() => conn.close());
  for (const d of letters) problems.push(`dead-lettered: ${d.subject} ${d.envelopeId ?? ''}: ${d.reason}`);

  const items = await query<{ id: string; state: string; entered: Date }>(
    stack.admin,
    `SELECT "id", "state"::text AS "state", "stateEnteredAt" AS "entered" FROM orchestrator."WorkItem"`,
  );
  const overdue = items
    .filter((i) => bounds[i.state] && Date.now() - i.entered.getTime() > bounds[i.state]!.afterMs)
    .map((i) => `${i.id} in ${i.state} since ${i.entered.toISOString()}`);
  for (const o of overdue) problems.push(`past its watchdog bound: ${o}`);

  for (const r of results)
    for (const service of 'silent' in r ? r.silent : [])
      problems.push(`${service}'s /readyz did not report the broken dependency during ${r.fault}`);
  const crashes = results.flatMap((r) => ('crashes' in r ? r.crashes : []));
  for (const c of crashes) problems.push(`crashed: ${c}`);
  return { phases, total, deadLetters: letters, overdue, crashes, problems };
}

/** The counts as a Markdown table (docs/faults.md keeps one). */
export function chaosTable(verdict: ChaosVerdict): string {
  const rows = [...verdict.phases, verdict.total];
  const line = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
  return [
    line([
      'phase',
      'sent',
      'accepted',
      'processed',
      'duplicated',
      'lost',
      'refused',
      'gave up',
      'accepted/s',
      'recovery ms',
    ]),
    line(Array(10).fill('---')),
    ...rows.map((p) =>
      line([
        p.phase,
        p.sent,
        p.accepted,
        p.processed,
        p.duplicated,
        p.lost,
        p.refused,
        p.gaveUp,
        p.phase === 'total' ? '' : p.throughput,
        p.recoveryMs ?? '',
      ]),
    ),
  ].join('\n');
}
