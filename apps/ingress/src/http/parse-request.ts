import { BadRequestException } from '@nestjs/common';
import { z } from 'zod';

/** Checks a request part against its schema; 400 naming each field at fault otherwise. */
export function parseRequest<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new BadRequestException({
    error: `invalid ${what}`,
    issues: result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
  });
}
