import { z } from 'zod';
import {
  commentSchema,
  documentSchema,
  issueSchema,
  projectSchema,
  relationSchema,
} from '../../../domain/records';
import { cursorInput, limitInput } from '../../../domain/paging';
import { defineTool, page, pagedItem, pageOutput } from '../tool';

const issueId = z
  .string()
  .min(1)
  .describe('Issue id or key (ENG-12 in Linear; the work item id in the local tracker)');

export const trackerGetIssue = defineTool({
  name: 'tracker_get_issue',
  title: 'Tracker issue',
  description:
    'One issue: title, state, labels, assignee and its description (markdown; long ones continue with cursor).',
  scope: 'tracker:read',
  available: (s) => !!s.tracker,
  input: { id: issueId, cursor: cursorInput },
  output: {
    source: z.string(),
    items: z.array(pagedItem(issueSchema)).describe('The issue, one item'),
    ...pageOutput,
  },
  async run(args, ctx) {
    const tracker = ctx.sources.tracker!;
    const issue = await tracker.getIssue(args.id);
    return {
      source: tracker.name,
      ...page('tracker_get_issue', args, [issue], 'description', ctx, { source: tracker.name }),
    };
  },
});

export const trackerListComments = defineTool({
  name: 'tracker_list_comments',
  title: 'Tracker issue comments',
  description: "An issue's comments, oldest first.",
  scope: 'tracker:read',
  available: (s) => !!s.tracker,
  input: { issueId, cursor: cursorInput, limit: limitInput },
  output: { source: z.string(), items: z.array(pagedItem(commentSchema)), ...pageOutput },
  async run(args, ctx) {
    const tracker = ctx.sources.tracker!;
    const comments = await tracker.listComments(args.issueId);
    return {
      source: tracker.name,
      ...page('tracker_list_comments', args, comments, 'body', ctx, { source: tracker.name }),
    };
  },
});

export const trackerRelatedIssues = defineTool({
  name: 'tracker_related_issues',
  title: 'Related and blocking issues',
  description:
    'Issues related to one issue: what it blocks, what blocks it, related, duplicates, parent and children.',
  scope: 'tracker:read',
  available: (s) => !!s.tracker,
  input: { issueId, cursor: cursorInput, limit: limitInput },
  output: { source: z.string(), items: z.array(pagedItem(relationSchema)), ...pageOutput },
  async run(args, ctx) {
    const tracker = ctx.sources.tracker!;
    const relations = await tracker.relatedIssues(args.issueId);
    return {
      source: tracker.name,
      ...page('tracker_related_issues', args, relations, null, ctx, { source: tracker.name }),
    };
  },
});

export const trackerGetProject = defineTool({
  name: 'tracker_get_project',
  title: 'Tracker project',
  description: "A project and its documents; the project's own long-form content is the first document.",
  scope: 'tracker:read',
  available: (s) => !!s.tracker,
  input: { id: z.string().min(1).describe('Project id'), cursor: cursorInput, limit: limitInput },
  output: {
    source: z.string(),
    project: projectSchema,
    items: z.array(pagedItem(documentSchema)),
    ...pageOutput,
  },
  async run(args, ctx) {
    const tracker = ctx.sources.tracker!;
    const { project, documents } = await tracker.getProject(args.id);
    const frame = { source: tracker.name, project };
    return { ...frame, ...page('tracker_get_project', args, documents, 'content', ctx, frame) };
  },
});

export const trackerTools = [trackerGetIssue, trackerListComments, trackerRelatedIssues, trackerGetProject];
