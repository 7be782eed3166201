import { z } from 'zod';
import { designCommentSchema, designFrameSchema, docPageSchema, docRowSchema } from '../../../domain/records';
import { cursorInput, limitInput } from '../../../domain/paging';
import { defineTool, page, pagedItem, pageOutput } from '../tool';

const idOrUrl = z
  .string()
  .min(1)
  .max(2000)
  .describe('The Notion page or database id (32 hex digits, dashes or not), or its URL');

export const docsGetPage = defineTool({
  name: 'docs_get_page',
  title: 'Document page',
  description:
    "A page of the team's documents (Notion) as markdown: requirements, specs, decisions a project links. Long pages continue with cursor.",
  scope: 'docs:read',
  available: (s) => !!s.docs,
  input: { id: idOrUrl, cursor: cursorInput, limit: limitInput },
  output: { source: z.string(), items: z.array(pagedItem(docPageSchema)), ...pageOutput },
  async run(args, ctx) {
    const docs = ctx.sources.docs!;
    const doc = await docs.getPage(args.id);
    const frame = { source: docs.name };
    return { ...frame, ...page('docs_get_page', args, [doc], 'content', ctx, frame) };
  },
});

export const docsQueryDatabase = defineTool({
  name: 'docs_query_database',
  title: 'Document database',
  description:
    "The rows of a database of the team's documents (Notion), each with its page and its properties as text.",
  scope: 'docs:read',
  available: (s) => !!s.docs,
  input: { id: idOrUrl, cursor: cursorInput, limit: limitInput },
  output: {
    source: z.string(),
    database: z.string(),
    items: z.array(pagedItem(docRowSchema)),
    ...pageOutput,
  },
  async run(args, ctx) {
    const docs = ctx.sources.docs!;
    const { title, rows } = await docs.queryDatabase(args.id);
    const frame = { source: docs.name, database: title };
    return { ...frame, ...page('docs_query_database', args, rows, null, ctx, frame) };
  },
});

const fileKey = z.string().min(1).max(2000).describe("The Figma file key, or the file's URL");

export const designGetFile = defineTool({
  name: 'design_get_file',
  title: 'Design file',
  description:
    'A design file (Figma): its name and the frames on each page (screens, components), each with a link; the mockups a project links.',
  scope: 'design:read',
  available: (s) => !!s.design,
  input: { key: fileKey, cursor: cursorInput, limit: limitInput },
  output: {
    source: z.string(),
    file: z.object({ key: z.string(), name: z.string(), lastModified: z.string() }),
    items: z.array(pagedItem(designFrameSchema)),
    ...pageOutput,
  },
  async run(args, ctx) {
    const design = ctx.sources.design!;
    const { frames, ...file } = await design.getFile(args.key);
    const frame = { source: design.name, file };
    return { ...frame, ...page('design_get_file', args, frames, null, ctx, frame) };
  },
});

export const designListComments = defineTool({
  name: 'design_list_comments',
  title: 'Design comments',
  description: 'The comments on a design file (Figma), oldest first, each with the frame it is pinned to.',
  scope: 'design:read',
  available: (s) => !!s.design,
  input: { key: fileKey, cursor: cursorInput, limit: limitInput },
  output: { source: z.string(), items: z.array(pagedItem(designCommentSchema)), ...pageOutput },
  async run(args, ctx) {
    const design = ctx.sources.design!;
    const comments = await design.listComments(args.key);
    const frame = { source: design.name };
    return { ...frame, ...page('design_list_comments', args, comments, 'message', ctx, frame) };
  },
});

export const docsTools = [docsGetPage, docsQueryDatabase, designGetFile, designListComments];
