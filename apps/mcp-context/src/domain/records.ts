import { z } from 'zod';

/**
 * The shapes every source adapter returns and every tool's output schema is built from: one
 * shape per kind of thing, whichever service it came from, so an agent learns them once.
 * Times are ISO 8601 strings; absent facts are null rather than missing.
 */
const time = z.string().nullable().describe('ISO 8601');

export const issueRefSchema = z.object({
  id: z.string(),
  identifier: z.string().describe('Human key, e.g. ENG-12; the id for the local tracker'),
  title: z.string(),
  state: z.string().nullable(),
  url: z.string().nullable(),
});

export const issueSchema = issueRefSchema.extend({
  description: z.string().describe('Markdown'),
  priority: z.number().nullable(),
  labels: z.array(z.string()),
  assignee: z.string().nullable(),
  projectId: z.string().nullable(),
  createdAt: time,
  updatedAt: time,
});

export const commentSchema = z.object({
  id: z.string(),
  author: z.string().nullable(),
  body: z.string().describe('Markdown'),
  createdAt: time,
  url: z.string().nullable(),
});

export const relationSchema = z.object({
  type: z
    .enum(['blocks', 'blocked_by', 'related', 'duplicates', 'duplicated_by', 'parent', 'child'])
    .describe(
      'How the issue asked about relates to `issue`: blocks = it blocks `issue`; parent = `issue` is its parent',
    ),
  issue: issueRefSchema,
});

export const projectSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  state: z.string().nullable(),
  url: z.string().nullable(),
});

export const documentSchema = z.object({
  id: z.string(),
  title: z.string(),
  content: z.string().describe('Markdown'),
});

/** A page of the team's documents (Notion): requirements, specs, decisions. */
export const docPageSchema = z.object({
  id: z.string(),
  title: z.string(),
  url: z.string().nullable(),
  lastEditedAt: z.string().nullable(),
  content: z.string().describe('Markdown'),
});

/** One row of a documents database: its page and its properties as text. */
export const docRowSchema = z.object({
  id: z.string(),
  title: z.string(),
  url: z.string().nullable(),
  properties: z.record(z.string(), z.string()),
});

/** A frame of a design file (Figma): what a screen or component is called, and on which page. */
export const designFrameSchema = z.object({
  id: z.string().describe('The node id, e.g. 12:34'),
  name: z.string(),
  page: z.string(),
  url: z.string(),
});

export const designCommentSchema = z.object({
  id: z.string(),
  author: z.string(),
  message: z.string(),
  createdAt: z.string(),
  resolved: z.boolean(),
  /** The frame it is pinned to, when it is. */
  frameId: z.string().nullable(),
});

export const chatMessageSchema = z.object({
  ts: z.string().describe('Message timestamp, the message id in its channel'),
  author: z.string().nullable(),
  isBot: z.boolean(),
  text: z.string(),
  threadTs: z.string().nullable(),
});

export const pullRequestSchema = z.object({
  repo: z.string(),
  number: z.number().int(),
  title: z.string(),
  body: z.string(),
  state: z.enum(['open', 'closed', 'merged']),
  draft: z.boolean(),
  author: z.string().nullable(),
  baseRef: z.string(),
  headRef: z.string(),
  headSha: z.string(),
  url: z.string(),
  additions: z.number().int().nullable(),
  deletions: z.number().int().nullable(),
  changedFiles: z.number().int().nullable(),
  createdAt: time,
  updatedAt: time,
});

export const diffFileSchema = z.object({
  path: z.string(),
  previousPath: z.string().nullable(),
  status: z.string().describe('added, modified, removed, renamed, …'),
  additions: z.number().int(),
  deletions: z.number().int(),
  patch: z.string().describe('Unified diff hunks of this file; empty for binary or very large files'),
});

export const reviewCommentSchema = z.object({
  id: z.string(),
  author: z.string().nullable(),
  body: z.string(),
  path: z.string().nullable(),
  line: z.number().int().nullable(),
  reviewId: z.string().nullable(),
  createdAt: time,
  url: z.string().nullable(),
});

export const ciCheckSchema = z.object({
  kind: z.enum(['check_run', 'status']),
  name: z.string(),
  status: z.string().describe('queued, in_progress, completed (check runs); the state for statuses'),
  conclusion: z.string().nullable().describe('success, failure, … once completed'),
  url: z.string().nullable(),
  startedAt: time,
  completedAt: time,
  summary: z.string(),
});

export const logEntrySchema = z.object({
  time: time,
  level: z.string(),
  service: z.string().nullable(),
  runId: z.string().nullable(),
  message: z.string(),
  attributes: z.record(z.string(), z.unknown()),
});

export const errorGroupSchema = z.object({
  id: z.string(),
  title: z.string(),
  level: z.string(),
  service: z.string().nullable(),
  count: z.number().int(),
  firstSeen: time,
  lastSeen: time,
  url: z.string().nullable(),
  detail: z.string().describe('Where it happens and a sample: culprit, stack or the first log line'),
});

export const runMatchSchema = z.object({
  runId: z.string(),
  workItemId: z.string(),
  title: z.string(),
  repo: z.string(),
  flavour: z.string(),
  outcome: z.string().nullable(),
  finishedAt: time,
  rank: z.number(),
  excerpt: z.string().describe('The matching passages, matches between « and »'),
});

export const conventionFileSchema = z.object({
  path: z.string().describe('Relative to the repository root'),
  content: z.string(),
});

export type Issue = z.infer<typeof issueSchema>;
export type IssueRef = z.infer<typeof issueRefSchema>;
export type Comment = z.infer<typeof commentSchema>;
export type Relation = z.infer<typeof relationSchema>;
export type Project = z.infer<typeof projectSchema>;
export type TrackerDocument = z.infer<typeof documentSchema>;
export type DocPage = z.infer<typeof docPageSchema>;
export type DocRow = z.infer<typeof docRowSchema>;
export type DesignFrame = z.infer<typeof designFrameSchema>;
export type DesignComment = z.infer<typeof designCommentSchema>;
export type ChatMessage = z.infer<typeof chatMessageSchema>;
export type PullRequest = z.infer<typeof pullRequestSchema>;
export type DiffFile = z.infer<typeof diffFileSchema>;
export type ReviewComment = z.infer<typeof reviewCommentSchema>;
export type CiCheck = z.infer<typeof ciCheckSchema>;
export type LogEntry = z.infer<typeof logEntrySchema>;
export type ErrorGroup = z.infer<typeof errorGroupSchema>;
export type RunMatch = z.infer<typeof runMatchSchema>;
export type ConventionFile = z.infer<typeof conventionFileSchema>;
