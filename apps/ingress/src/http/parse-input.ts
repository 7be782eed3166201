import { BadRequestException } from '@nestjs/common';
import type { z } from 'zod';

/** The input as the schema reads it, or a 400 naming every field that does not fit. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new BadRequestException({
    error: `invalid ${what}`,
    issues: result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
  });
}
