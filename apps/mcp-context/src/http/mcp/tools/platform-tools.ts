// Tools over Horizon itself and the run's repository: logs, errors, past runs, conventions.
import { z } from 'zod';
import { frictionGroupSchema, frictionKindSchema } from '@horizon/contracts';
import {
  conventionFileSchema,
  errorGroupSchema,
  logEntrySchema,
  runMatchSchema,
} from '../../../domain/records';
import { cursorInput, limitInput } from '../../../domain/paging';
import { defineTool, page, pagedItem, pageOutput } from '../tool';

const since = z.iso.datetime({ offset: true }).optional().describe('ISO 8601; default: 24 hours ago');
const until = z.iso.datetime({ offset: true }).optional().describe('ISO 8601; default: now');
const DAY_MS = 24 * 60 * 60 * 1000;

function window(args: { since?: string; until?: string }) {
  const untilDate = args.until ? new Date(args.until) : new Date();
  return {
    since: args.since ? new Date(args.since) : new Date(untilDate.getTime() - DAY_MS),
    until: untilDate,
  };
}

export const logsSearch = defineTool({
  name: 'logs_search',
  title: 'Search logs',
  description: 'Log lines matching text (all words, case-insensitive), level, service or run, newest first.',
  scope: 'logs:read',
  available: () => true,
  input: {
    query: z.string().optional().describe('Words every line must contain'),
    level: z
      .enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal'])
      .optional()
      .describe('This level and above'),
    service: z.string().optional(),
    runId: z.string().optional(),
    since,
    until,
    cursor: cursorInput,
    limit: limitInput,
  },
  output: { source: z.string(), items: z.array(pagedItem(logEntrySchema)), ...pageOutput },
  async run(args, ctx) {
    const logs = ctx.sources.logs;
    const entries = await logs.search({
      text: args.query,
      level: args.level,
      service: args.service,
      runId: args.runId,
      ...window(args),
    });
    return {
      source: logs.name,
      ...page('logs_search', args, entries, 'message', ctx, { source: logs.name }),
    };
  },
});

export const errorsSearch = defineTool({
  name: 'errors_search',
  title: 'Search errors',
  description: 'Error groups (one per distinct error) matching text or service, most recently seen first.',
  scope: 'logs:read',
  available: () => true,
  input: {
    query: z.string().optional(),
    service: z.string().optional(),
    since,
    until,
    cursor: cursorInput,
    limit: limitInput,
  },
  output: { source: z.string(), items: z.array(pagedItem(errorGroupSchema)), ...pageOutput },
  async run(args, ctx) {
    const errors = ctx.sources.errors;
    const groups = await errors.search({ text: args.query, service: args.service, ...window(args) });
    return {
      source: errors.name,
      ...page('errors_search', args, groups, 'detail', ctx, { source: errors.name }),
    };
  },
});

export const runsSearch = defineTool({
  name: 'runs_search',
  title: 'Search past runs',
  description:
    'Past runs whose transcripts, verification results or friction notes match a web-style query ("exact phrase", -exclude, or), best match first.',
  scope: 'runs:read',
  available: () => true,
  input: {
    query: z.string().min(1),
    repo: z.string().optional().describe('Only runs on this repository (owner/name)'),
    outcome: z.enum(['succeeded', 'failed', 'cancelled', 'timed_out', 'infra_error']).optional(),
    cursor: cursorInput,
    limit: limitInput,
  },
  output: { items: z.array(pagedItem(runMatchSchema)), ...pageOutput },
  async run(args, ctx) {
    const matches = await ctx.sources.runs.search({
      text: args.query,
      repo: args.repo,
      outcome: args.outcome,
    });
    return page('runs_search', args, matches, 'excerpt', ctx);
  },
});

export const runsFriction = defineTool({
  name: 'runs_friction',
  title: 'Papercuts of past runs',
  description:
    "The papercuts past runs met (a missing script, a command that fails then passes, a tool that is not installed, repeated calls, mcp-context errors…), one group per signature, most runs first, each with its latest runs and their transcript lines. Defaults to this run's repository.",
  scope: 'runs:read',
  available: () => true,
  input: {
    repo: z.string().optional().describe("owner/name; default: this run's repository"),
    days: z.number().int().min(1).max(365).default(30).describe('How far back, in days'),
    kind: frictionKindSchema.optional(),
    minRuns: z.number().int().min(1).optional().describe('Only papercuts met by at least this many runs'),
    cursor: cursorInput,
    limit: limitInput,
  },
  output: { items: z.array(pagedItem(frictionGroupSchema)), ...pageOutput },
  async run(args, ctx) {
    const repo = args.repo ?? ctx.claims.repo;
    const groups = await ctx.sources.runs.friction({
      since: new Date(Date.now() - args.days * DAY_MS),
      ...(repo ? { repo } : {}),
      ...(args.kind ? { kind: args.kind } : {}),
      ...(args.minRuns ? { minRuns: args.minRuns } : {}),
    });
    return page('runs_friction', args, groups, 'summary', ctx);
  },
});

export const repoConventions = defineTool({
  name: 'repo_conventions',
  title: 'Repository conventions',
  description: "The run's repository conventions: AGENTS.md and the files under .horizon/.",
  scope: 'repo:read',
  available: () => true,
  input: { cursor: cursorInput, limit: limitInput },
  output: { items: z.array(pagedItem(conventionFileSchema)), ...pageOutput },
  async run(args, ctx) {
    if (!ctx.claims.workspace) throw new Error('this run has no workspace to read conventions from');
    const files = await ctx.sources.conventions.read(ctx.claims.workspace);
    return page('repo_conventions', args, files, 'content', ctx);
  },
});

export const platformTools = [logsSearch, errorsSearch, runsSearch, runsFriction, repoConventions];
