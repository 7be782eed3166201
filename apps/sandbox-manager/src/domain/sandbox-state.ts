import type { DataOf, sandboxStateChanged } from '@horizon/contracts';

/** What a Sandbox row's `state` holds: the states `hzn.evt.sandbox.state_changed` announces. */
export type SandboxState = DataOf<typeof sandboxStateChanged>['state'];

/** States in which a sandbox should exist on its host. */
export const liveStates: readonly SandboxState[] = ['creating', 'ready', 'paused'];

export type SandboxCommand = 'cancel' | 'pause' | 'resume';

/**
 * What a command does to a sandbox in a given state. `noop`: the command's effect is already
 * there (a repeated pause, a cancel of a destroyed sandbox) — acknowledged, nothing published.
 * `reject`: the command cannot apply, and retrying will not change that.
 */
export type CommandDecision =
  { kind: 'apply'; to: SandboxState } | { kind: 'noop'; reason: string } | { kind: 'reject'; reason: string };

export function decide(state: SandboxState, command: SandboxCommand): CommandDecision {
  switch (command) {
    case 'cancel':
      return liveStates.includes(state)
        ? { kind: 'apply', to: 'destroyed' }
        : { kind: 'noop', reason: `sandbox is already ${state}` };
    case 'pause':
      if (state === 'ready') return { kind: 'apply', to: 'paused' };
      if (state === 'paused') return { kind: 'noop', reason: 'sandbox is already paused' };
      return { kind: 'reject', reason: `cannot pause a sandbox that is ${state}` };
    case 'resume':
      if (state === 'paused') return { kind: 'apply', to: 'ready' };
      if (state === 'ready') return { kind: 'noop', reason: 'sandbox is already running' };
      return { kind: 'reject', reason: `cannot resume a sandbox that is ${state}` };
  }
}
