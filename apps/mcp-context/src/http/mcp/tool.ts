import { z } from 'zod';
import type { McpScope, RunTokenClaims } from '@horizon/run-tokens';
import type { Sources } from '../../sources/sources';
import {
  decodeCursor,
  encodeCursor,
  nextCursorSchema,
  PageLimits,
  queryKey,
  takePage,
  TextField,
  textRangeSchema,
} from '../../domain/paging';

export interface ToolContext {
  claims: RunTokenClaims;
  sources: Sources;
  limits: PageLimits;
}

type Shape = z.ZodRawShape;

/** One MCP tool: what it needs (scope, source), its schemas, and what it does. */
export interface ToolDefinition<I extends Shape = Shape, O extends Shape = Shape> {
  name: string;
  title: string;
  description: string;
  scope: McpScope;
  /** False when this Horizon has no adapter for the tool's source: the tool is not offered. */
  available(sources: Sources): boolean;
  input: I;
  output: O;
  run(args: z.infer<z.ZodObject<I>>, ctx: ToolContext): Promise<z.infer<z.ZodObject<O>>>;
}

export function defineTool<I extends Shape, O extends Shape>(
  tool: ToolDefinition<I, O>,
): ToolDefinition<I, O> {
  return tool;
}

/** An item schema as it appears on a page: its long text may be cut, saying which part it holds. */
export function pagedItem<T extends z.ZodObject>(schema: T) {
  return schema.extend({ textRange: textRangeSchema.optional() });
}

export const pageOutput = { nextCursor: nextCursorSchema };

/**
 * Pages `items` for one call: resumes at `args.cursor`, fills up to the byte cap (counting
 * `frame`, the rest of the output), and returns the page with its continuation.
 */
export function page<T extends object>(
  tool: string,
  args: Record<string, unknown> & { cursor?: string; limit?: number },
  items: readonly T[],
  textField: TextField<T> | null,
  ctx: ToolContext,
  frame: Record<string, unknown> = {},
) {
  const key = queryKey(tool, args);
  const { items: pageItems, next } = takePage(items, textField, decodeCursor(key, args.cursor), {
    ...ctx.limits,
    itemLimit: args.limit,
    frameBytes: Buffer.byteLength(JSON.stringify({ ...frame, items: [], nextCursor: null })),
  });
  return { items: pageItems, nextCursor: next ? encodeCursor(key, next) : null };
}
