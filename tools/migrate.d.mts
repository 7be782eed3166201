// Types of tools/migrate.mjs, for its spec.
export function rolePasswords(
  env: Record<string, string | undefined>,
): Array<{ role: string; password: string; variable: string }>;
export function migrate(
  env?: Record<string, string | undefined>,
  log?: (line: string) => void,
): Promise<string[]>;
