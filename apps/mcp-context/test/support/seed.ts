import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';

/** Work items, runs and artifacts as the orchestrator would have written them (in its schema), and their owner as identity-broker has them (in its). */
export async function seedHorizon(databaseUrl: string) {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  const ids = {
    owner: randomUUID(),
    project: randomUUID(),
    issue: randomUUID(),
    blocker: randomUUID(),
    pastRun: randomUUID(),
    otherRun: randomUUID(),
  };
  const description = `Retry failed payment captures with back-off.\n\n${'Acceptance: each capture is retried at most three times. '.repeat(80)}`;
  try {
    await pool.query(`INSERT INTO identity."Identity" (id, "displayName") VALUES ($1, 'Ada Lovelace')`, [
      ids.owner,
    ]);
    const item = `INSERT INTO orchestrator."WorkItem" (id, kind, state, repo, title, description, "parentId", "ownerId", labels, "updatedAt") VALUES ($1, $2, $3, 'acme/shop', $4, $5, $6, $7, $8, now())`;
    await pool.query(item, [
      ids.project,
      'plan',
      'planned',
      'Checkout reliability',
      'Make checkout survive provider outages.',
      null,
      null,
      [],
    ]);
    await pool.query(item, [
      ids.issue,
      'implement',
      'queued',
      'Retry payment captures',
      description,
      ids.project,
      ids.owner,
      ['payments'],
    ]);
    await pool.query(item, [
      ids.blocker,
      'implement',
      'running',
      'Idempotency keys for captures',
      '',
      ids.project,
      null,
      [],
    ]);
    await pool.query(
      `INSERT INTO orchestrator."WorkItemDependency" ("blockerId", "blockedId") VALUES ($1, $2)`,
      [ids.blocker, ids.issue],
    );
    const run = `INSERT INTO orchestrator."Run" (id, "workItemId", attempt, flavour, harness, model, "deadlineAt", "finishedAt", outcome, "failureReason", report) VALUES ($1, $2, $3, 'implement', 'opencode', 'scripted', now() + interval '1 hour', now(), $4, $5, $6)`;
    await pool.query(run, [
      ids.pastRun,
      ids.blocker,
      1,
      'failed',
      'verification failed',
      {
        frictionNotes: ['The payments integration test is flaky unless PAYMENTS_SANDBOX=1 is exported'],
        verification: [{ command: 'npm test', exitCode: 1 }],
      },
    ]);
    await pool.query(run, [
      ids.otherRun,
      ids.blocker,
      2,
      'succeeded',
      null,
      { frictionNotes: ['Lint took four minutes'] },
    ]);
    // Both runs met the missing lint script; the first also a flaky test that passed on retry.
    const friction = `INSERT INTO orchestrator."RunFriction" ("runId", signature, kind, summary, count, evidence, repo, "recordedAt") VALUES ($1, $2, $3, $4, $5, $6, 'acme/shop', now() - $7 * interval '1 hour')`;
    const lint = [
      'missing_script:lint',
      'missing_script',
      '`npm run lint`: the script "lint" is not declared',
    ];
    await pool.query(friction, [ids.pastRun, ...lint, 1, [3], 2]);
    await pool.query(friction, [ids.otherRun, ...lint, 2, [5, 9], 1]);
    await pool.query(friction, [
      ids.pastRun,
      'command_retried:npm test',
      'command_retried',
      '`npm test` failed (exit 1), then passed when run again',
      1,
      [7, 8],
      2,
    ]);
    await pool.query(
      `INSERT INTO orchestrator."Artifact" (id, "runId", kind, uri, "contentType", "sizeBytes", metadata) VALUES ($1, $2, 'transcript', 'file:///t.jsonl', 'application/jsonl', 10, $3)`,
      [randomUUID(), ids.otherRun, { summary: 'Agent regenerated the migration lock file' }],
    );
  } finally {
    await pool.end();
  }
  return { ...ids, description };
}

/** A data directory with pino log files, and a workspace with conventions. */
export function seedFiles(root: string) {
  const logs = join(root, 'data', 'logs');
  mkdirSync(logs, { recursive: true });
  const now = Date.now();
  const line = (offsetMs: number, level: string, msg: string, extra: Record<string, unknown> = {}) =>
    JSON.stringify({
      level,
      time: new Date(now - offsetMs).toISOString(),
      service: 'orchestrator',
      msg,
      ...extra,
    });
  const lines = [
    line(60_000, 'info', 'run started', { runId: 'r-1' }),
    line(50_000, 'error', 'sandbox boot failed', {
      runId: 'r-1',
      err: {
        message: 'bwrap: No permissions',
        stack: 'Error: bwrap: No permissions\n    at boot (local-driver.ts:42)',
      },
    }),
    line(40_000, 'error', 'sandbox boot failed', {
      runId: 'r-2',
      err: { message: 'bwrap: No permissions', stack: 'Error: bwrap: No permissions' },
    }),
    ...Array.from({ length: 60 }, (_, i) => line(30_000 - i * 100, 'info', `scheduler tick ${i}`)),
  ];
  writeFileSync(join(logs, 'orchestrator.log'), `${lines.join('\n')}\nnot json: a crash on stderr\n`);
  const workspace = join(root, 'workspace');
  mkdirSync(join(workspace, '.horizon', 'prompts'), { recursive: true });
  writeFileSync(join(workspace, 'AGENTS.md'), '# Agents\n\nRun `npm test` before committing.\n');
  writeFileSync(join(workspace, '.horizon', 'config.yaml'), 'verify:\n  - npm test\n');
  writeFileSync(join(workspace, '.horizon', 'prompts', 'implement.md'), 'Keep changes small.\n');
  return { dataDir: join(root, 'data'), workspace };
}
