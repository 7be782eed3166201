import { z } from 'zod';
import { fleetChildViewSchema, fleetRequestSchema, fleetViewSchema } from '@horizon/contracts';

/** `POST /api/v1/fleets`: the intent, the repositories (a list or a glob), the cap and priority. */
export const createFleetBody = fleetRequestSchema.extend({
  owner: z
    .string()
    .uuid()
    .nullable()
    .default(null)
    .describe('identity id of the human who owns the children'),
});

export const fleetIdParam = z.string().uuid();

export const fleetResultsQuery = z.strictObject({
  format: z.enum(['json', 'csv']).default('json').describe('json (the default) or csv'),
});

export const fleetList = z.object({ fleets: z.array(fleetViewSchema) });
export const fleetDetail = z.object({ fleet: fleetViewSchema, children: z.array(fleetChildViewSchema) });
export const fleetRetried = z.object({ fleet: fleetViewSchema, retried: z.array(z.string()) });
