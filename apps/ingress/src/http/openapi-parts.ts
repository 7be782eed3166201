import { z } from 'zod';

// The pieces every path of the work API's OpenAPI document (openapi.ts) is built from.

export type JsonSchema = Record<string, unknown>;
export const schema = (s: z.ZodType, io: 'input' | 'output' = 'output'): JsonSchema => {
  const { $schema: _drop, ...rest } = z.toJSONSchema(s, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
};
export const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
export const json = (s: unknown) => ({ 'application/json': { schema: s } });
export const error = (description: string) => ({ description, content: json(ref('Error')) });

export const authErrors = {
  '401': error('missing, invalid, expired or revoked token'),
  '403': error('the token lacks the scope this operation needs'),
};
export const unavailableBecause = (what: string) => ({
  '503': {
    ...error(`${what} unavailable; retry after the Retry-After header`),
    headers: { 'Retry-After': { schema: { type: 'integer' } } },
  },
});
export const unavailable = unavailableBecause('JetStream');
/** Reads are answered by the orchestrator over NATS. */
export const readUnavailable = unavailableBecause('the orchestrator');
export const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };
export const idempotencyKey = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description: 'the same key from the same token yields the same work item id, and one event',
  schema: { type: 'string', maxLength: 200 },
};

/** A query schema's fields as OpenAPI query parameters. */
export function queryParameters(shape: z.ZodType): JsonSchema[] {
  const query = schema(shape, 'input') as { properties: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(query.properties).map(([name, s]) => ({
    name,
    in: 'query',
    required: query.required?.includes(name) ?? false,
    schema: s,
  }));
}
