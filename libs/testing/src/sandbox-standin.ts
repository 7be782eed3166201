import {
  DataOf,
  EnvelopeOf,
  envelopeFor,
  runFinished,
  runProgress,
  sandboxCancel,
  sandboxProvision,
  sandboxRefreshSnapshots,
} from '@horizon/contracts';
import type { MessageHandler, Publisher } from '@horizon/messaging';

export type ProvisionCommand = EnvelopeOf<typeof sandboxProvision>;

/**
 * Stands in for sandbox-manager on the real command stream: it takes `hzn.cmd.sandbox.*`
 * commands and answers as the real one will, with `hzn.evt.run.*` events. `behaviour` decides
 * per command: `succeed` reports the harness start and a successful finish on the branch;
 * `hold` only records the command (the test reports for it). Cancels and snapshot refreshes
 * (a merge asks for one) are only recorded.
 */
export class SandboxStandIn {
  readonly provisions: ProvisionCommand[] = [];
  readonly cancels: EnvelopeOf<typeof sandboxCancel>[] = [];
  readonly refreshes: EnvelopeOf<typeof sandboxRefreshSnapshots>[] = [];
  /** When the first provision command of each work item arrived (ms, `performance.now()`). */
  readonly firstProvisionAt = new Map<string, number>();
  behaviour: (cmd: ProvisionCommand['data']) => 'succeed' | 'hold' = () => 'succeed';
  private seq = 0;

  constructor(private readonly publisher: Publisher) {}

  handlers(): Map<string, MessageHandler> {
    return new Map<string, MessageHandler>([
      [
        sandboxProvision.subject,
        async (env) => {
          const cmd = env as ProvisionCommand;
          if (!this.firstProvisionAt.has(cmd.data.workItemId))
            this.firstProvisionAt.set(cmd.data.workItemId, performance.now());
          this.provisions.push(cmd);
          if (this.behaviour(cmd.data) === 'succeed') {
            await this.progress(cmd.data, 'harness');
            await this.finish(cmd.data, 'succeeded');
          }
        },
      ],
      [sandboxCancel.subject, (env) => void this.cancels.push(env as EnvelopeOf<typeof sandboxCancel>)],
      [
        sandboxRefreshSnapshots.subject,
        (env) => void this.refreshes.push(env as EnvelopeOf<typeof sandboxRefreshSnapshots>),
      ],
    ]);
  }

  provisionsFor(workItemId: string): ProvisionCommand[] {
    return this.provisions.filter((p) => p.data.workItemId === workItemId);
  }

  async progress(cmd: ProvisionCommand['data'], phase: DataOf<typeof runProgress>['phase']): Promise<void> {
    await this.publisher.publish(
      envelopeFor(
        runProgress,
        {
          runId: cmd.runId,
          workItemId: cmd.workItemId,
          seq: this.seq++,
          phase,
          kind: 'step',
          summary: phase,
        },
        { source: 'sandbox-manager' },
      ),
    );
  }

  async finish(
    cmd: ProvisionCommand['data'],
    outcome: DataOf<typeof runFinished>['outcome'],
    reason: string | null = null,
    summary: string | null = null,
    browser?: DataOf<typeof runFinished>['browser'],
  ): Promise<void> {
    await this.publisher.publish(
      envelopeFor(
        runFinished,
        {
          runId: cmd.runId,
          workItemId: cmd.workItemId,
          outcome,
          reason,
          usage: { inputTokens: 1200, outputTokens: 340, costUsd: 0.0123 },
          durationMs: 5,
          branch: outcome === 'succeeded' && cmd.flavour !== 'plan' ? cmd.branch : null,
          commitSha: outcome === 'succeeded' ? '8f3c1e2d4b5a69788796a5b4c3d2e1f0a9b8c7d6' : null,
          verification: [],
          frictionNotes: [],
          summary,
          ...(browser ? { browser } : {}),
        },
        { source: 'sandbox-manager' },
      ),
    );
  }
}
