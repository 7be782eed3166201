import { z } from 'zod';
import { scheduleViewSchema, workItemViewSchema } from '@horizon/contracts';
import { createScheduleBody, scheduleDeleted, scheduleList } from './schedules.schemas';
import {
  acceptedResponse,
  cancelWorkItemBody,
  createWorkItemBody,
  errorResponse,
  listWorkItemsQuery,
  workItemPage,
} from './work-items.schemas';
import { createTriggerBody, createdTrigger, triggerList } from './triggers.schemas';
import { usageQuery, usageReply } from './usage.controller';

type JsonSchema = Record<string, unknown>;
const schema = (s: z.ZodType, io: 'input' | 'output' = 'output'): JsonSchema => {
  const { $schema: _drop, ...rest } = z.toJSONSchema(s, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
};
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (s: unknown) => ({ 'application/json': { schema: s } });
const error = (description: string) => ({ description, content: json(ref('Error')) });

const authErrors = {
  '401': error('missing, invalid, expired or revoked token'),
  '403': error('the token lacks the scope this operation needs'),
};
const unavailableBecause = (what: string) => ({
  '503': {
    ...error(`${what} unavailable; retry after the Retry-After header`),
    headers: { 'Retry-After': { schema: { type: 'integer' } } },
  },
});
const unavailable = unavailableBecause('JetStream');
/** Reads are answered by the orchestrator over NATS. */
const readUnavailable = unavailableBecause('the orchestrator');
const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };
const idempotencyKey = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description: 'the same key from the same token yields the same work item id, and one event',
  schema: { type: 'string', maxLength: 200 },
};

/** A query schema's fields as OpenAPI query parameters. */
function queryParameters(shape: z.ZodType): JsonSchema[] {
  const query = schema(shape, 'input') as { properties: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(query.properties).map(([name, s]) => ({
    name,
    in: 'query',
    required: query.required?.includes(name) ?? false,
    schema: s,
  }));
}

/** The work API's OpenAPI 3.1 document, generated from the zod schemas the handlers validate with. */
export function workApiOpenApi(): JsonSchema {
  return {
    openapi: '3.1.0',
    info: { title: 'Horizon work API', version: '1.0.0' },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }],
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'an API token (tools/api-token.ts create)' },
      },
      schemas: {
        CreateWorkItem: schema(createWorkItemBody, 'input'),
        CancelWorkItem: schema(cancelWorkItemBody, 'input'),
        Accepted: schema(acceptedResponse),
        WorkItem: schema(workItemViewSchema),
        WorkItemPage: schema(workItemPage),
        Error: schema(errorResponse),
        CreateTrigger: schema(createTriggerBody, 'input'),
        CreatedTrigger: schema(createdTrigger),
        TriggerList: schema(triggerList),
        CreateSchedule: schema(createScheduleBody, 'input'),
        Schedule: schema(scheduleViewSchema),
        ScheduleList: schema(scheduleList),
        ScheduleDeleted: schema(scheduleDeleted),
        Usage: schema(usageReply),
      },
    },
    paths: {
      '/api/v1/work-items': {
        post: {
          operationId: 'createWorkItem',
          summary: 'Request a work item (scope work:write)',
          description:
            'Answers 202 once the request is durable on the event stream. The orchestrator creates the work item when it consumes the event, so GET on the Location may answer 404 for a moment.',
          parameters: [idempotencyKey],
          requestBody: { required: true, content: json(ref('CreateWorkItem')) },
          responses: {
            '202': {
              description: 'accepted',
              headers: { Location: { schema: { type: 'string' } } },
              content: json(ref('Accepted')),
            },
            '400': error('the body does not fit CreateWorkItem'),
            ...authErrors,
            ...unavailable,
          },
        },
        get: {
          operationId: 'listWorkItems',
          summary: 'List work items, newest first (scope work:read)',
          parameters: queryParameters(listWorkItemsQuery),
          responses: {
            '200': { description: 'one page', content: json(ref('WorkItemPage')) },
            '400': error('bad filter or cursor'),
            ...authErrors,
            ...readUnavailable,
          },
        },
      },
      '/api/v1/work-items/{id}': {
        get: {
          operationId: 'getWorkItem',
          summary: 'One work item (scope work:read)',
          parameters: [idParam],
          responses: {
            '200': { description: 'the work item', content: json(ref('WorkItem')) },
            '404': error('no such work item (yet: creation is asynchronous)'),
            ...authErrors,
            ...readUnavailable,
          },
        },
      },
      '/api/v1/triggers': {
        post: {
          operationId: 'createTrigger',
          summary: 'Define a webhook trigger (scope triggers:manage)',
          description:
            'The trigger accepts signed deliveries at POST /webhooks/generic/<name>; one that passes its filter starts a work item rendered from its templates. The signing secret is in this answer only.',
          requestBody: { required: true, content: json(ref('CreateTrigger')) },
          responses: {
            '201': { description: 'created', content: json(ref('CreatedTrigger')) },
            '400': error('the body does not fit CreateTrigger, or a template or the filter is refused'),
            ...authErrors,
            '409': error('a trigger of that name exists'),
          },
        },
        get: {
          operationId: 'listTriggers',
          summary: 'Every webhook trigger, by name (scope triggers:manage)',
          responses: {
            '200': { description: 'the triggers', content: json(ref('TriggerList')) },
            ...authErrors,
          },
        },
      },
      '/api/v1/triggers/{name}': {
        delete: {
          operationId: 'deleteTrigger',
          summary:
            'Delete a webhook trigger; its deliveries are refused from then on (scope triggers:manage)',
          parameters: [{ name: 'name', in: 'path', required: true, schema: { type: 'string' } }],
          responses: {
            '204': { description: 'deleted' },
            '404': error('no trigger of that name'),
            ...authErrors,
          },
        },
      },
      '/api/v1/work-items/{id}/cancel': {
        post: {
          operationId: 'cancelWorkItem',
          summary: 'Ask for a work item to be cancelled (scope work:write)',
          parameters: [idParam],
          requestBody: { required: false, content: json(ref('CancelWorkItem')) },
          responses: {
            '202': { description: 'accepted', content: json(ref('Accepted')) },
            '400': error('bad id or body'),
            ...authErrors,
            ...unavailable,
          },
        },
      },
      ...schedulePaths(),
      '/api/v1/usage': {
        get: {
          operationId: 'getUsage',
          summary: 'Model tokens, requests and cost per run, item, repo, person or day (scope work:read)',
          description:
            "Counted by the egress proxy from the providers' own responses; costUsd covers priced requests only (unpricedRequests says how many were not). harness* are the agents' own figures, for comparison.",
          parameters: queryParameters(usageQuery),
          responses: {
            '200': { description: 'one row per group, costliest first', content: json(ref('Usage')) },
            '400': error('bad grouping or since'),
            ...authErrors,
            ...readUnavailable,
          },
        },
      },
    },
  };
}

/** Schedules: every answer comes from the orchestrator over NATS. */
function schedulePaths(): JsonSchema {
  const scheduleAnswer = (description: string) => ({
    description,
    content: json(ref('Schedule')),
  });
  const toggle = (operationId: string, summary: string) => ({
    post: {
      operationId,
      summary,
      parameters: [idParam],
      responses: {
        '200': scheduleAnswer('the schedule'),
        '404': error('no such schedule'),
        ...authErrors,
        ...readUnavailable,
      },
    },
  });
  return {
    '/api/v1/schedules': {
      post: {
        operationId: 'createSchedule',
        summary: 'Create a schedule (scope work:write)',
        description:
          'Each tick of the cron expression (5 fields, or 6 with seconds first) in the time zone starts one work item. Ticks missed while Horizon was down fire once, for the latest.',
        requestBody: { required: true, content: json(ref('CreateSchedule')) },
        responses: {
          '201': scheduleAnswer('created, with its next tick'),
          '400': error(
            'the body does not fit CreateSchedule, or the cron expression or time zone is unreadable',
          ),
          '409': error('the repository already has a schedule of that name'),
          ...authErrors,
          ...readUnavailable,
        },
      },
      get: {
        operationId: 'listSchedules',
        summary: 'List schedules, with their next tick and last firing (scope work:read)',
        parameters: [{ name: 'repo', in: 'query', required: false, schema: { type: 'string' } }],
        responses: {
          '200': { description: 'the schedules', content: json(ref('ScheduleList')) },
          ...authErrors,
          ...readUnavailable,
        },
      },
    },
    '/api/v1/schedules/{id}/pause': toggle('pauseSchedule', 'Pause a schedule (scope work:write)'),
    '/api/v1/schedules/{id}/resume': toggle(
      'resumeSchedule',
      'Resume a schedule from its next tick after now (scope work:write)',
    ),
    '/api/v1/schedules/{id}': {
      delete: {
        operationId: 'deleteSchedule',
        summary: 'Delete a schedule made through the API; its firings stay recorded (scope work:write)',
        parameters: [idParam],
        responses: {
          '200': { description: 'deleted', content: json(ref('ScheduleDeleted')) },
          '404': error('no such schedule'),
          '409': error("the repository's .horizon/config.yaml declares it: remove it there"),
          ...authErrors,
          ...readUnavailable,
        },
      },
    },
  };
}
