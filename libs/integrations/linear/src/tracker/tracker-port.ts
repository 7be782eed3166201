/**
 * What Horizon needs from an issue tracker: create planned issues with their order, report on
 * an agent session, comment, complete an issue, and read a project. Linear implements it
 * (`createLinearTracker`); a local tracker can later.
 */
export interface TrackerPort {
  /**
   * Creates an issue. With `id` the call is safe to repeat: the tracker refuses an id it already
   * holds, and `findIssue(id)` tells whether an earlier attempt created it.
   */
  createIssue(input: NewTrackerIssue): Promise<TrackerIssue>;
  /** The issue with this id (or identifier, `ENG-12`), or null when there is none. */
  findIssue(id: string): Promise<TrackerIssue | null>;
  /** The team's workflow states, by position (Linear: triage, backlog, unstarted, started, …). */
  workflowStates(teamId: string): Promise<TrackerWorkflowState[]>;
  /**
   * Records that `blockerId` blocks `blockedId` (Linear relation type `blocks`). `id` (a UUID)
   * makes the call safe to repeat: see `issueRelationExists`.
   */
  addBlocksRelation(blockerId: string, blockedId: string, id?: string): Promise<{ id: string }>;
  issueRelationExists(id: string): Promise<boolean>;
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
  /** The new issue's id (a UUID v4); the tracker makes one when absent. */
  id?: string;
  teamId: string;
  projectId?: string;
  /** A workflow state of the team; the team's default state when absent. */
  stateId?: string;
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
  teamId?: string;
  /** The project holding the issue; null when it is in none. */
  projectId?: string | null;
}

export interface TrackerWorkflowState {
  id: string;
  name: string;
  /** Linear's categories: triage, backlog, unstarted, started, completed, canceled. */
  type: string;
  position: number;
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
