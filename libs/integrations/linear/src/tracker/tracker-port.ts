/**
 * What Horizon needs from an issue tracker: create planned issues with their order, report on
 * an agent session, comment, complete an issue, and read a project. Linear implements it
 * (`createLinearTracker`); a local tracker can later.
 */
export interface TrackerPort {
  createIssue(input: NewTrackerIssue): Promise<TrackerIssue>;
  /** Records that `blockerId` blocks `blockedId` (Linear relation type `blocks`). */
  addBlocksRelation(blockerId: string, blockedId: string): Promise<{ id: string }>;
  /** Adds an activity to an agent session. `id` (a UUID) makes the call safe to repeat: see `agentActivityExists`. */
  createAgentActivity(input: {
    id?: string;
    agentSessionId: string;
    content: AgentActivityContent;
  }): Promise<{ id: string }>;
  agentActivityExists(id: string): Promise<boolean>;
  /** Comments on an issue (markdown). */
  createComment(input: { id?: string; issueId: string; body: string }): Promise<{ id: string }>;
  commentExists(id: string): Promise<boolean>;
  /** Moves the issue to its team's first workflow state of type `completed`; returns that state. */
  completeIssue(issueId: string): Promise<{ stateId: string; stateName: string }>;
  readProject(projectId: string): Promise<TrackerProject>;
}

export interface NewTrackerIssue {
  teamId: string;
  projectId?: string;
  title: string;
  /** Markdown: the description with its acceptance criteria. */
  description: string;
}

export interface TrackerIssue {
  id: string;
  identifier: string;
  title: string;
  description: string;
  url: string;
  stateId?: string;
}

export interface TrackerProject {
  id: string;
  name: string;
  description: string;
  /** The project's long-form content (markdown). */
  content: string;
  url: string;
  documents: { id: string; title: string; content: string }[];
  issues: TrackerIssue[];
}

/** Linear's agent activity content: https://linear.app/developers/agent-interaction */
export type AgentActivityContent =
  | { type: 'thought'; body: string }
  | { type: 'action'; action: string; parameter: string; result?: string }
  | { type: 'response'; body: string }
  | { type: 'error'; body: string };

/** The tracker asked us to slow down: try again after `retryAfterMs`. */
export class TrackerRateLimitedError extends Error {
  constructor(readonly retryAfterMs: number) {
    super(`rate limited: retry after ${retryAfterMs} ms`);
    this.name = 'TrackerRateLimitedError';
  }
}

/** The tracker refused the call; `permanent` when retrying the same call cannot succeed. */
export class TrackerCallError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
    this.name = 'TrackerCallError';
  }
}
