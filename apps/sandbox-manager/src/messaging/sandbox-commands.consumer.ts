import { Injectable } from '@nestjs/common';
import {
  sandboxBudgetAnswer,
  sandboxCancel,
  sandboxPause,
  sandboxProvision,
  sandboxRefreshSnapshots,
  sandboxResume,
  type EnvelopeOf,
} from '@horizon/contracts';
import {
  HandleMessage,
  MessageConsumer,
  Outcome,
  type HandlerOutcome,
  type MessageContext,
} from '@horizon/messaging';
import { SandboxService, type CommandResult } from '../application/sandbox.service';

/** A command for a sandbox not recorded yet may have overtaken its provision: a few short retries. */
export const unknownSandboxDeliveries = 3;
const unknownSandboxRetryMs = 250;
const heartbeatMs = 15_000;

/** `hzn.cmd.sandbox.*` → SandboxService; results become ack, reject (dead-letter) or retry. */
@MessageConsumer({
  durable: 'sandbox-manager-cmd',
  stream: 'CMD',
  ackWaitMs: 60_000,
  maxDeliver: 5,
})
@Injectable()
export class SandboxCommandsConsumer {
  constructor(private readonly sandboxes: SandboxService) {}

  @HandleMessage(sandboxProvision)
  provision(env: EnvelopeOf<typeof sandboxProvision>, ctx: MessageContext): Promise<HandlerOutcome> {
    return this.handle(ctx, () => this.sandboxes.provision(env));
  }

  @HandleMessage(sandboxCancel)
  cancel(env: EnvelopeOf<typeof sandboxCancel>, ctx: MessageContext): Promise<HandlerOutcome> {
    return this.handle(ctx, () => this.sandboxes.cancel(env));
  }

  @HandleMessage(sandboxPause)
  pause(env: EnvelopeOf<typeof sandboxPause>, ctx: MessageContext): Promise<HandlerOutcome> {
    return this.handle(ctx, () => this.sandboxes.pause(env));
  }

  @HandleMessage(sandboxResume)
  resume(env: EnvelopeOf<typeof sandboxResume>, ctx: MessageContext): Promise<HandlerOutcome> {
    return this.handle(ctx, () => this.sandboxes.resume(env));
  }

  @HandleMessage(sandboxBudgetAnswer)
  budgetAnswer(env: EnvelopeOf<typeof sandboxBudgetAnswer>, ctx: MessageContext): Promise<HandlerOutcome> {
    return this.handle(ctx, () => this.sandboxes.budgetAnswer(env));
  }

  @HandleMessage(sandboxRefreshSnapshots)
  async refreshSnapshots(
    env: EnvelopeOf<typeof sandboxRefreshSnapshots>,
    ctx: MessageContext,
  ): Promise<HandlerOutcome> {
    const results = await this.whileWorking(ctx, () => this.sandboxes.refreshSnapshots(env));
    ctx.logger.info(
      {
        repo: env.data.repo,
        when: env.data.when ?? null,
        built: results.filter((r) => r.built).map((r) => `${r.repo}/${r.flavour}@${r.built!.commit}`),
        // Why each series was rebuilt or kept (a text-only merge keeps it): `when` refreshes only.
        series: results.filter((r) => r.reason).map((r) => ({ flavour: r.flavour, reason: r.reason })),
      },
      'snapshots refreshed',
    );
    return Outcome.ack();
  }

  private async handle(ctx: MessageContext, command: () => Promise<CommandResult>): Promise<HandlerOutcome> {
    const result = await this.whileWorking(ctx, command);
    switch (result.kind) {
      case 'applied':
        ctx.logger.info({ state: result.state, reason: result.reason }, 'sandbox state changed');
        return Outcome.ack();
      case 'ignored':
        ctx.logger.info({ reason: result.reason }, 'sandbox command changed nothing');
        return Outcome.ack();
      case 'rejected':
        return Outcome.reject(result.reason);
      case 'unknown':
        return ctx.deliveryCount < unknownSandboxDeliveries
          ? Outcome.retry(result.reason, unknownSandboxRetryMs)
          : Outcome.reject(`${result.reason} (after ${ctx.deliveryCount} deliveries)`);
    }
  }

  /** Booting can outlast the ack wait (a first snapshot runs the repository's setup). */
  private async whileWorking<T>(ctx: MessageContext, work: () => Promise<T>): Promise<T> {
    const timer = setInterval(() => ctx.working(), heartbeatMs);
    try {
      return await work();
    } finally {
      clearInterval(timer);
    }
  }
}
