import { z } from 'zod';
import { scheduleDeclarationSchema, scheduleViewSchema } from '@horizon/contracts';

/** `POST /api/v1/schedules`: a schedule as `.horizon/config.yaml` declares one, with its repository. */
export const createScheduleBody = scheduleDeclarationSchema.extend({
  repo: z
    .string()
    .regex(/^[^/\s]+\/[^/\s]+$/, 'owner/name')
    .describe('the repository, owner/name'),
  owner: z.string().nullable().default(null).describe('identity id of the human who owns the work it starts'),
});

export const listSchedulesQuery = z.strictObject({
  repo: z.string().min(1).optional().describe('owner/name'),
});

export const scheduleIdParam = z.string().uuid();

export const scheduleList = z.object({ schedules: z.array(scheduleViewSchema) });

export const scheduleDeleted = z.object({ id: z.string().uuid(), deleted: z.literal(true) });
