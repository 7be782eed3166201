import type { FrictionGroup, FrictionKind, RunOutcome } from '@horizon/contracts';
import type {
  ChatMessage,
  CiCheck,
  Comment,
  ConventionFile,
  DiffFile,
  DesignComment,
  DesignFrame,
  DocPage,
  DocRow,
  ErrorGroup,
  Issue,
  LogEntry,
  Project,
  PullRequest,
  Relation,
  ReviewComment,
  RunMatch,
  TrackerDocument,
} from '../domain/records';

/**
 * One port per kind of source. Adapters return whole result sets (bounded by `MAX_SOURCE_ITEMS`)
 * and the tools page them, so paging and size caps behave the same over every service.
 */
export const MAX_SOURCE_ITEMS = 500;

/** The source has no such thing: answered to the agent as a tool error naming it. */
export class SourceNotFound extends Error {}

export interface TrackerSource {
  readonly name: string;
  getIssue(id: string): Promise<Issue>;
  listComments(issueId: string): Promise<Comment[]>;
  relatedIssues(issueId: string): Promise<Relation[]>;
  getProject(id: string): Promise<{ project: Project; documents: TrackerDocument[] }>;
}

/** The team's documents (Notion): pages and databases, by id or by their URL. */
export interface DocsSource {
  readonly name: string;
  getPage(idOrUrl: string): Promise<DocPage>;
  /** The rows of a database (its first data source), as the source orders them. */
  queryDatabase(idOrUrl: string): Promise<{ title: string; rows: DocRow[] }>;
}

/** The team's design files (Figma): their pages' frames and the comments on them. */
export interface DesignSource {
  readonly name: string;
  getFile(
    keyOrUrl: string,
  ): Promise<{ key: string; name: string; lastModified: string; frames: DesignFrame[] }>;
  listComments(keyOrUrl: string): Promise<DesignComment[]>;
}

export interface ChatSource {
  readonly name: string;
  getThread(channel: string, threadTs: string): Promise<ChatMessage[]>;
}

export interface RepoRef {
  owner: string;
  repo: string;
}

export interface ForgeSource {
  readonly name: string;
  getPullRequest(repo: RepoRef, number: number): Promise<PullRequest>;
  listFiles(repo: RepoRef, number: number): Promise<DiffFile[]>;
  listReviewComments(repo: RepoRef, number: number): Promise<ReviewComment[]>;
  listChecks(repo: RepoRef, number: number): Promise<CiCheck[]>;
}

export interface TimeWindow {
  since?: Date;
  until?: Date;
}

export interface LogQuery extends TimeWindow {
  text?: string;
  level?: string;
  service?: string;
  runId?: string;
}

/** Newest first. */
export interface LogSource {
  readonly name: string;
  search(query: LogQuery): Promise<LogEntry[]>;
}

export interface ErrorQuery extends TimeWindow {
  text?: string;
  service?: string;
}

/** Most recently seen first. */
export interface ErrorSource {
  readonly name: string;
  search(query: ErrorQuery): Promise<ErrorGroup[]>;
}

export interface RunHistory {
  search(query: { text: string; repo?: string; outcome?: RunOutcome }): Promise<RunMatch[]>;
  /** The papercuts past runs met, one group per repository and signature, most runs first. */
  friction(query: {
    since: Date;
    repo?: string;
    kind?: FrictionKind;
    minRuns?: number;
  }): Promise<FrictionGroup[]>;
}

export interface ConventionsSource {
  /** AGENTS.md and the .horizon/ files of the repository checked out at `root`. */
  read(root: string): Promise<ConventionFile[]>;
}
