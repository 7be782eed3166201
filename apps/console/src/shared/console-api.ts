/**
 * The console's HTTP API as its single-page app sees it: the backend (apps/console/src/http)
 * answers these shapes, the app (apps/console/web) reads them. Type-only imports keep zod and
 * the contracts catalog out of the browser bundle.
 */
import type {
  ApiScope,
  ApiTokenSummary,
  FleetChildState,
  FleetChildView,
  FleetRequest,
  FleetView,
  FrictionGroup,
  FOLLOW_UP_MAX_CHARS as CONTRACT_FOLLOW_UP_MAX_CHARS,
  HarnessName,
  harnessNames as contractHarnessNames,
  IdentityView,
  IntegrationCheck,
  orchestratorCreateRetro,
  ReplyOf,
  RepoTrendRow,
  RunView,
  UsageRollupRow,
  WorkItemDetail,
  WorkItemView,
} from '@horizon/contracts';
import type { Comment as ForgeComment } from '@horizon/local-forge-client';
import type { RunBrowserView } from './run-browser';

export type {
  ApiScope,
  ApiTokenSummary,
  FleetChildState,
  FleetChildView,
  FleetRequest,
  FleetView,
  HarnessName,
  IdentityView,
  IntegrationCheck,
  RunView,
  WorkItemDetail,
  WorkItemView,
};

/** `GET /api/usage`: model usage as the egress proxies counted it; `name` is a person's, for `by=person`. */
export type UsageRow = UsageRollupRow & { name?: string };
export type UsageView = { since: string; rows: UsageRow[] };

/**
 * `GET /api/friction`: the papercuts runs met in the repositories the person may see, grouped
 * across runs, most runs first; `retroRepos` are those of them where they may start a retro.
 */
export type FrictionView = { since: string; groups: FrictionGroup[]; retroRepos: string[] };
/** `GET /api/trends`: each visible repository's runs and merges per week, oldest first. */
export type TrendsView = { since: string; rows: RepoTrendRow[] };
/** `POST /api/retros`: the retro work item and how many papercuts it was given. */
export type RetroStarted = ReplyOf<typeof orchestratorCreateRetro>;

/** `GET /api/fleets`: the fleets with a child in a repository the person may see, newest first. */
export type FleetListView = { fleets: FleetView[] };
/**
 * `GET /api/fleets/:id`: the fleet and the children the person may see (`hidden` more are in
 * repositories they may not); `mayChange` when they are a member of every repository it touches.
 */
export type FleetDetailView = {
  fleet: FleetView;
  children: FleetChildView[];
  hidden: number;
  mayChange: boolean;
};

/** What a person may do in a repository; each role includes the ones before it. */
export const roles = ['viewer', 'member', 'admin'] as const;
export type Role = (typeof roles)[number];

/** `GET /api/sign-in-methods`: a "Sign in with ..." button for each provider identity-broker offers. */
export interface SignInMethodOption {
  method: 'github' | 'oidc';
  label: string;
}

/** `GET /api/session`: who is signed in, what they may do, and the token mutations must echo. */
export interface SessionView {
  person: { id: string; name: string };
  /** Per repository (`owner/name`), `*` for every repository. */
  grants: { repo: string; role: Role }[];
  /** Sent back as the `x-csrf-token` header on every POST/PUT/PATCH/DELETE. */
  csrfToken: string;
}

/**
 * A card on the board: the work item, plus what the board shows about its latest run and pull
 * request without a second request.
 */
export interface BoardItem extends WorkItemView {
  latestRun: {
    id: string;
    outcome: string | null;
    verification: 'passed' | 'failed' | 'none';
  } | null;
  pullRequest: { number: number; url: string | null; provider: 'github' | 'local' } | null;
}

/**
 * `GET /api/work-items?state=&kind=&repo=&owner=&label=`: every matching item (the backend
 * pages through the orchestrator), and `streamSeq`, the live stream's position read BEFORE the
 * query: open `/api/events?after=<streamSeq>` so nothing between the two is missed.
 */
export interface BoardView {
  items: BoardItem[];
  streamSeq: number;
  /** True when more items matched than the backend returns at once (`limit`, default 2000). */
  truncated: boolean;
}

/** `GET /api/work-items/:id`. */
export interface WorkItemPage {
  workItem: WorkItemDetail;
  streamSeq: number;
}

/** `GET /api/graph?parentId=` (a plan's items) or `?repo=`: nodes and "blocked by" edges. */
export interface GraphView {
  nodes: BoardItem[];
  /** `from` must finish before `to` can start. */
  edges: { from: string; to: string }[];
  streamSeq: number;
}

/**
 * One Server-Sent Event of `GET /api/events` (event name `horizon`): `id` is the event's
 * sequence in the stream, so a reconnect with `Last-Event-ID` resumes exactly after it.
 */
export interface LiveEvent {
  seq: number;
  /** The contract subject, e.g. `hzn.evt.workitem.state_changed`. */
  subject: string;
  occurredAt: string;
  data: Record<string, unknown>;
}

/**
 * One line of a run's transcript (`hzn.evt.run.progress`), numbered by the runner from 0. What
 * `detail` holds depends on `kind`: `text` has `text`; `tool_use` has `tool`, `input`, `output`,
 * `status` and maybe `exitCode`; `verify.passed`/`verify.failed` have `command`, `exitCode`, `log`.
 */
export interface TranscriptEntry {
  seq: number;
  phase: 'provisioning' | 'harness' | 'verification' | 'commit' | 'push';
  kind: string;
  summary: string;
  detail: Record<string, unknown>;
  at: string;
}

/**
 * `GET /api/runs/:id`: the run as the orchestrator knows it, its work item, its transcript so far
 * in order and its browser verification; follow `/api/events?after=<streamSeq>` for
 * `hzn.evt.run.progress` lines after it.
 */
export interface RunPage {
  run: RunView & { durationMs: number | null };
  workItem: Pick<WorkItemView, 'id' | 'title' | 'repo' | 'state'>;
  transcript: TranscriptEntry[];
  browser: RunBrowserView;
  streamSeq: number;
}

/**
 * `POST /api/work-items/:id/cancel` (body `{ reason? }`), `…/follow-ups` (body `{ text }`),
 * `…/retry` and `…/start`: 202 once the request is on the bus; what it changes follows on the
 * live stream.
 */
export interface SteeringAccepted {
  id: string;
  status: 'accepted' | 'duplicate';
}

/** The longest follow-up the chat box sends: the contract's limit (the type checks they agree). */
export const FOLLOW_UP_MAX_CHARS: typeof CONTRACT_FOLLOW_UP_MAX_CHARS = 8000;

/**
 * States a member may retry from (a new run starts). The orchestrator's lifecycle table decides;
 * the console offers the button, and refuses at once, only by this.
 */
export const RETRYABLE_STATES: readonly WorkItemView['state'][] = ['failed', 'cancelled', 'timed_out'];

/** Why an item in another state cannot be started: only a planned one waits for a person to start it. */
export function notPlanned(state: WorkItemView['state']): string {
  return `the work item is ${state}, not planned: only a planned item waits to be started`;
}

/** Why a follow-up cannot go to an item with no run in flight, and what to do instead. */
export function noRunInFlight(state: WorkItemView['state']): string {
  const instead = RETRYABLE_STATES.includes(state)
    ? 'retry it to start a new run, then write to that one'
    : state === 'in_review'
      ? 'comment on its pull request, or ask for changes there, to start a revise run'
      : state === 'merged' || state === 'done'
        ? 'its work is finished; ask for more in a new work item'
        : 'write again once its run has started';
  return `the agent is not running on this work item: it is ${state}; ${instead}`;
}

/** Whether the agent is at work on the item: its latest run (runs come oldest first) has not ended. */
export function runInFlight(runs: readonly Pick<RunView, 'outcome'>[]): boolean {
  const latest = runs[runs.length - 1];
  return latest !== undefined && latest.outcome === null;
}

/** Every error the API answers: what failed and what to do. */
export interface ApiError {
  statusCode: number;
  error: string;
  message: string;
}

/** `GET /api/admin/people` (admins): everyone who may sign in, with their grants. */
export interface PersonView {
  id: string;
  name: string;
  grants: { repo: string; role: Role }[];
  lastSignInAt: string | null;
  activeSessions: number;
}

/** `GET /api/admin/auto-grants` (admins of every repository): roles for first sign-ins by email domain. */
export interface AutoGrantView {
  id: string;
  domain: string;
  repo: string;
  role: Role;
  createdBy: string;
  createdAt: string;
}

/** `GET /api/admin/audit` (admins): the latest actions taken through the console. */
export interface AuditEntryView {
  id: string;
  actor: string;
  action: string;
  target: string | null;
  detail: Record<string, unknown>;
  at: string;
}

/** `GET /api/admin/api-tokens` (admins of every repository): the work API tokens ingress keeps. */
export interface ApiTokenList {
  tokens: ApiTokenSummary[];
}

/** `POST /api/admin/api-tokens`: the new token, in this answer only (ingress keeps its hash). */
export interface CreatedApiToken {
  id: string;
  name: string;
  scopes: ApiScope[];
  expiresAt: string | null;
  token: string;
}

/** `GET /api/admin/integrations` (admins): each integration as the service that owns it checked it. */
export interface IntegrationsView {
  checks: IntegrationCheck[];
  /** Integrations with no check: their service did not answer, or does not report yet. */
  unreported: { integration: IntegrationCheck['integration']; service: string; detail: string }[];
  checkedAt: string;
}

/** `GET /api/admin/identities` (admins of every repository): identity-broker's identities and their links. */
export interface IdentityList {
  identities: IdentityView[];
}

/** `GET /api/admin/repositories` (admins): the repositories they administer, and who has which role. */
export interface RepositoriesView {
  repositories: {
    repo: string;
    /** Work items the orchestrator has in it (0: known only from a grant). */
    workItems: number;
    latestAt: string | null;
    grants: { personId: string; name: string; role: Role }[];
  }[];
  /** Roles granted for every repository (`*`), which apply in each of them too. */
  everywhere: { personId: string; name: string; role: Role }[];
}

/** One check run the forge recorded on the pull request's head: a verification that passed or failed. */
export interface CheckRunView {
  id: number;
  name: string;
  conclusion: 'success' | 'failure';
  /** The verification's report: each command and its exit code. */
  summary: string;
  createdAt: string;
}

export interface ReviewView {
  id: number;
  author: string;
  state: 'approved' | 'changes_requested' | 'commented';
  body: string | null;
  commitSha: string;
  createdAt: string;
}

/** A conversation comment (`path` null) or a line comment, possibly part of a review: as the forge answers it. */
export type ReviewCommentView = ForgeComment;

/**
 * `GET /api/pulls/:owner/:name/:number`: a local forge pull request, evidence first — its check
 * runs, reviews and comments, the work item it belongs to (when one is found), and its diff.
 * `role` is the person's role in the repository: members and admins may review and merge.
 */
export interface PullRequestPage {
  repo: string;
  role: Role;
  pullRequest: {
    number: number;
    title: string;
    body: string | null;
    state: 'open' | 'closed';
    merged: boolean;
    mergedBy: string | null;
    author: string;
    headRef: string;
    baseRef: string;
    headSha: string;
    approved: boolean;
    approvedBy: string[];
    changesRequestedBy: string[];
    /** The forge's word: the head merges cleanly into the base now (approval is checked on merge). */
    mergeable: boolean;
    mergeableReason: string | null;
    createdAt: string;
    updatedAt: string;
  };
  checkRuns: CheckRunView[];
  reviews: ReviewView[];
  comments: ReviewCommentView[];
  workItem: { id: string; title: string; state: string } | null;
  /** Unified diff of base...head. */
  diff: string;
  /** The live stream's position read before the forge: follow the work item's events after it. */
  streamSeq: number;
}

/** `POST /api/pulls/:owner/:name/:number/reviews`; a non-approval needs a body. */
export interface ReviewRequest {
  event: 'APPROVE' | 'REQUEST_CHANGES' | 'COMMENT';
  body?: string;
}

/** `POST /api/pulls/:owner/:name/:number/merge`: `sha` is the head the person reviewed. */
export interface MergeRequest {
  sha?: string;
}

/** One proposed issue of a plan draft; its id becomes its work item's id when the plan starts. */
export interface PlanItemView {
  id: string;
  title: string;
  description: string;
  /** One criterion per line. */
  acceptanceCriteria: string;
  /** Ids of sibling items that must finish first. */
  blockedBy: string[];
}

/**
 * `GET /api/plans/:id`, and the answer of every write to it. Every write sends the `version` it
 * was made on; when someone else wrote first it is refused with 409 and `PlanConflict`.
 */
export interface PlanDraftView {
  id: string;
  repo: string;
  title: string;
  brief: string;
  status: 'draft' | 'started';
  version: number;
  items: PlanItemView[];
  createdBy: string;
  updatedBy: string;
  createdAt: string;
  updatedAt: string;
  startedAt: string | null;
  /** The PM agent's last run on the draft's brief, if it was asked to plan it. */
  planning: PlanningView | null;
}

/**
 * The PM agent planning a draft: `planning` while its run goes; `proposed` once its issues
 * replaced the draft's items; `failed` when the run ended without a proposal (`error` says why).
 * `workItemId` is the plan work item, whose page shows the run's transcript.
 */
export interface PlanningView {
  workItemId: string;
  state: 'planning' | 'proposed' | 'failed';
  error: string | null;
}

/** `GET /api/plans?repo=`: the drafts the person may see, newest change first (items left out). */
export interface PlanListView {
  drafts: Omit<PlanDraftView, 'items' | 'brief'>[];
}

/** The harnesses a person may pick for new work: the contract's (the type checks they agree). */
export const HARNESS_NAMES: typeof contractHarnessNames = ['opencode', 'codex', 'claude-code'];

/**
 * `POST /api/plans/:id/start` body: the version the person saw, and the harness of the items'
 * runs (absent: the repository's, from its `.horizon/config.yaml`).
 */
export interface PlanStartRequest {
  version: number;
  harness?: HarnessName;
}

/** `POST /api/plans/:id/pm-agent` body: the version the person saw (the proposal replaces its items). */
export interface PlanPmAgentRequest {
  version: number;
}

/** The 409 of a write made on an old version: what the draft is now. */
export interface PlanConflict extends ApiError {
  current: PlanDraftView;
}

/**
 * `PATCH /api/plans/:id` body: one edit, made on `version`. Items are added with their fields;
 * their ids are made by the backend.
 */
export type PlanEditRequest = { version: number } & (
  | { kind: 'details'; title?: string; brief?: string }
  | { kind: 'add_item'; item: Omit<PlanItemView, 'id'> }
  | { kind: 'update_item'; itemId: string; changes: Partial<Omit<PlanItemView, 'id'>> }
  | { kind: 'remove_item'; itemId: string }
);

/** `POST /api/plans/:id/start`: the work items made, each with the plan item it came from. */
export interface PlanStarted {
  draft: PlanDraftView;
  workItemIds: string[];
}

/** Someone with the draft open, and the item they are editing. */
export interface PlanPresencePerson {
  personId: string;
  name: string;
  editingItemId: string | null;
}

/**
 * Events of `GET /api/plans/:id/live`: `presence` (everyone here now, sent on every change) and
 * `changed` (the draft has a new version: read it again).
 */
export type PlanLiveEvent =
  { type: 'presence'; people: PlanPresencePerson[] } | { type: 'changed'; version: number; by: string };
