import type { OrchestratorConfig } from './config';

/** The parsed configuration, as providers receive it. */
export const ORCHESTRATOR_CONFIG = Symbol('hzn:orchestrator-config');
export type { OrchestratorConfig };

/** Work items in these states hold a sandbox (or are about to): they count against the concurrency limits. */
export const activeStates = ['provisioning', 'running', 'verifying', 'revising'] as const;
