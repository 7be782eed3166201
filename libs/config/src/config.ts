import { z } from 'zod';

/** A configuration value that failed its schema: one line naming the variable and what it expects. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    readonly expected: string,
    readonly got: string | undefined,
  ) {
    super(
      got === undefined
        ? `config: ${variable} is required: ${expected}`
        : `config: ${variable}=${JSON.stringify(got)} is invalid: ${expected}`,
    );
    this.name = 'ConfigError';
  }
}

type Shape = Record<string, z.ZodType>;

/**
 * Parses the environment once against a zod object whose keys are variable names. The first
 * failing variable is reported (one line is what an operator reads); `describe()` on a field
 * supplies the "what it expects" text.
 */
export function parseConfig<S extends Shape>(
  shape: S,
  env: NodeJS.ProcessEnv = process.env,
): z.infer<z.ZodObject<S>> {
  const input: Record<string, string | undefined> = {};
  for (const key of Object.keys(shape)) {
    const raw = env[key];
    input[key] = raw === '' ? undefined : raw;
  }
  const result = z.object(shape).safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const variable = String(issue.path[0]);
  const field = shape[variable];
  const expected = field?.description ?? issue.message;
  throw new ConfigError(variable, expected, input[variable]);
}

/**
 * For a service's `main.ts`: parse, or stop the process with the one-line reason on stderr
 * and exit code 78 (EX_CONFIG), before anything else starts.
 */
export function loadConfigOrExit<S extends Shape>(
  shape: S,
  env: NodeJS.ProcessEnv = process.env,
): z.infer<z.ZodObject<S>> {
  try {
    return parseConfig(shape, env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(78);
    }
    throw err;
  }
}
