import { readFileSync } from 'node:fs';
import { extname, isAbsolute, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

/**
 * Token counts reported for one model response. `input` counts every prompt token, `cached`
 * and `cacheWrite` included (OpenAI's `prompt_tokens` does; the Anthropic wire splits them
 * out of `input_tokens`), so both wires report the same totals and the egress proxy's
 * counts can be checked exactly against them.
 */
const usageSchema = z
  .strictObject({
    input: z.number().int().nonnegative(),
    output: z.number().int().nonnegative(),
    /** Prompt tokens read from the provider's cache. */
    cached: z.number().int().nonnegative().default(0),
    /** Prompt tokens written to the cache (Anthropic only; OpenAI caches without charge). */
    cacheWrite: z.number().int().nonnegative().default(0),
  })
  .refine((u) => u.cached + u.cacheWrite <= u.input, 'cached + cacheWrite cannot exceed input');

/**
 * What a request must look like for a step to answer it. Every given field must hold;
 * an empty match (or `match: any`) accepts any request.
 */
const matchSchema = z.strictObject({
  /** Role of the last message: `user` for a fresh prompt, `tool` after a tool ran. */
  lastRole: z.enum(['system', 'user', 'assistant', 'tool']).optional(),
  /** The last message's text contains this. */
  lastContains: z.string().optional(),
  /** The last user message's text contains this. */
  userContains: z.string().optional(),
  /** The system prompt contains this. */
  systemContains: z.string().optional(),
  /** The request offers (at least) these tools. */
  toolsInclude: z.array(z.string()).optional(),
});

const toolCallSchema = z.strictObject({
  tool: z.string().min(1),
  args: z.record(z.string(), z.unknown()),
});

const respondSchema = z
  .strictObject({
    text: z.string().optional(),
    toolCalls: z.array(toolCallSchema).optional(),
    usage: usageSchema.optional(),
  })
  .refine((r) => r.text !== undefined || (r.toolCalls?.length ?? 0) > 0, 'respond needs text or toolCalls');

const stepSchema = z.strictObject({
  name: z.string().optional(),
  match: z.union([z.literal('any'), matchSchema]).default({}),
  respond: respondSchema,
});

/** The title of a script that names none, and the answer to a title request no script claims. */
export const defaultTitle = 'Scripted task';

/**
 * Which conversations a script plays in catalog mode: the conversation's first user message
 * (the agent's prompt) contains `userContains`, and its system prompt contains `systemContains`
 * and lacks `systemLacks` when given. The system prompt holds what the harness read from the
 * repository (AGENTS.md), so two scripts for one task can play an agent that knows a
 * convention and one that does not. Single-script mode ignores it.
 */
const selectorSchema = z
  .strictObject({
    userContains: z.string().min(1),
    systemContains: z.string().min(1).optional(),
    systemLacks: z.string().min(1).optional(),
  })
  .refine(
    (when) => when.systemContains === undefined || when.systemContains !== when.systemLacks,
    'when.systemContains and when.systemLacks cannot be the same text: no conversation would match',
  );

export const scriptSchema = z.strictObject({
  /** Answer to OpenCode's title request (sent to `small_model`, with no tools). */
  title: z.string().default(defaultTitle),
  when: selectorSchema.optional(),
  /** Usage reported for a step that names none. */
  usage: usageSchema.default({ input: 0, output: 0, cached: 0, cacheWrite: 0 }),
  steps: z.array(stepSchema).min(1),
});

export type ScriptUsage = z.infer<typeof usageSchema>;
export type StepMatch = z.infer<typeof matchSchema>;
export type ScriptSelector = z.infer<typeof selectorSchema>;
export type ScriptedToolCall = z.infer<typeof toolCallSchema>;
export type StepResponse = z.infer<typeof respondSchema>;
export type ScriptStep = z.infer<typeof stepSchema>;
export type ModelScript = z.infer<typeof scriptSchema>;
/** A script as written, before defaults are applied. */
export type ModelScriptInput = z.input<typeof scriptSchema>;

/** Folder of the shared scripts, `libs/testing/scripts`. */
export const scriptsDir = join(__dirname, '..', '..', 'scripts');

/** Validates a script given as data; errors name the offending path. */
export function parseScript(input: unknown, source = 'script'): ModelScript {
  const parsed = scriptSchema.safeParse(input);
  if (!parsed.success) throw new Error(`Invalid model script ${source}: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/** Loads a YAML or JSON script: an absolute path, or a file name under `libs/testing/scripts`. */
export function loadScript(fileOrName: string): ModelScript {
  const path = isAbsolute(fileOrName) ? fileOrName : join(scriptsDir, fileOrName);
  const text = readFileSync(path, 'utf8');
  const data = extname(path) === '.json' ? JSON.parse(text) : parseYaml(text);
  return parseScript(data, path);
}

/**
 * Replaces `{{name}}` in every string of the script (matches and responses alike) with
 * `vars[name]`, so a script can name the run's working directory. An unknown name throws:
 * a script that silently sent `{{workdir}}` to the agent would fail far from its cause.
 * `name` (the script's) goes into that error.
 */
export function fillScript(script: ModelScript, vars: Record<string, string>, name?: string): ModelScript {
  const fill = (value: unknown): unknown => {
    if (typeof value === 'string') {
      return value.replace(/\{\{\s*([\w.-]+)\s*\}\}/g, (_, key: string) => {
        const v = Object.hasOwn(vars, key) ? vars[key] : undefined;
        if (v === undefined) {
          throw new Error(
            `Model script${name ? ` ${name}` : ''} uses {{${key}}} but no such variable was given`,
          );
        }
        return v;
      });
    }
    if (Array.isArray(value)) return value.map(fill);
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fill(v)]));
    }
    return value;
  };
  return fill(script) as ModelScript;
}
