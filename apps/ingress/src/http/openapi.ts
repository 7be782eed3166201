import {
  fleetViewSchema,
  scheduleViewSchema,
  workItemWithRunsSchema,
  workItemViewSchema,
} from '@horizon/contracts';
import { createScheduleBody, scheduleDeleted, scheduleList } from './schedules.schemas';
import { createFleetBody, fleetDetail, fleetList, fleetRetried } from './fleets.schemas';
import {
  acceptedResponse,
  budgetAnswerBody,
  cancelWorkItemBody,
  createWorkItemBody,
  errorResponse,
  listWorkItemsQuery,
  startWorkItemBody,
  workItemPage,
} from './work-items.schemas';
import { workItemStepPaths } from './work-items.openapi';
import {
  authErrors,
  error,
  idParam,
  idempotencyKey,
  json,
  queryParameters,
  readUnavailable,
  ref,
  schema,
  unavailable,
  type JsonSchema,
} from './openapi-parts';
import { createTriggerBody, createdTrigger, triggerList } from './triggers.schemas';
import { usageQuery, usageReply } from './usage.controller';
import { frictionQuery, frictionReply } from './friction.controller';
import { createRetroBody, retroCreated } from './retros.controller';
import { trendsQuery, trendsReply } from './trends.controller';

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
        StartWorkItem: schema(startWorkItemBody, 'input'),
        BudgetAnswer: schema(budgetAnswerBody, 'input'),
        Accepted: schema(acceptedResponse),
        WorkItem: schema(workItemViewSchema),
        WorkItemWithRuns: schema(workItemWithRunsSchema),
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
        Friction: schema(frictionReply),
        RetroRequest: schema(createRetroBody),
        RetroCreated: schema(retroCreated),
        Trends: schema(trendsReply),
        CreateFleet: schema(createFleetBody, 'input'),
        Fleet: schema(fleetViewSchema),
        FleetList: schema(fleetList),
        FleetDetail: schema(fleetDetail),
        FleetRetried: schema(fleetRetried),
      },
    },
    paths: {
      '/api/v1/work-items': {
        post: {
          operationId: 'createWorkItem',
          summary: 'Request a work item (scope work:write)',
          description:
            "Answers 202 once the request is durable on the event stream. The orchestrator creates the work item when it consumes the event, so GET on the Location may answer 404 for a moment. `harness` picks the coding-agent CLI of the item's runs over the repository's choice; it is recorded as the label `harness:<name>`.",
          parameters: [idempotencyKey],
          requestBody: { required: true, content: json(ref('CreateWorkItem')) },
          responses: {
            '202': {
              description: 'accepted',
              headers: { Location: { schema: { type: 'string' } } },
              content: json(ref('Accepted')),
            },
            '400': error(
              'the body does not fit CreateWorkItem (a harness Horizon lacks: the answer names those it has)',
            ),
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
          summary: 'One work item with its runs and blockers (scope work:read)',
          parameters: [idParam],
          responses: {
            '200': { description: 'the work item', content: json(ref('WorkItemWithRuns')) },
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
      ...workItemStepPaths(),
      ...schedulePaths(),
      ...fleetPaths(),
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
      '/api/v1/friction': {
        get: {
          operationId: 'getFriction',
          summary: 'The papercuts runs met, grouped across runs by signature (scope work:read)',
          description:
            'One group per repository and signature (missing_script:lint, command_retried:npm test…), most runs first, each with its latest runs and the transcript entries (seq) that show it: what a retro reads.',
          parameters: queryParameters(frictionQuery),
          responses: {
            '200': { description: 'one group per papercut, most runs first', content: json(ref('Friction')) },
            '400': error('bad since, kind, minRuns or limit'),
            ...authErrors,
            ...readUnavailable,
          },
        },
      },
      '/api/v1/trends': {
        get: {
          operationId: 'getTrends',
          summary: 'How each repository’s runs go over time (scope work:read)',
          description:
            'Per repository and day or week: runs, runs per item, tool calls, tokens, friction and failed checks per run, merges and the median time from request to merge. Falling figures are the platform learning.',
          parameters: queryParameters(trendsQuery),
          responses: {
            '200': {
              description: 'one row per repository and period, oldest first',
              content: json(ref('Trends')),
            },
            '400': error('bad since, bucket or repo'),
            ...authErrors,
            ...readUnavailable,
          },
        },
      },
      '/api/v1/retros': {
        post: {
          operationId: 'createRetro',
          summary: 'Start a retro on a repository (scope work:write)',
          description:
            "A retro work item whose run reads the papercuts the repository's runs met since then and proposes fixes as planned work items, each naming the friction it fixes. Papercuts whose proposals were cancelled before are left out. Idempotency-Key: the same key answers the same retro.",
          requestBody: { required: true, content: json(ref('RetroRequest')) },
          responses: {
            '201': { description: 'the retro, queued', content: json(ref('RetroCreated')) },
            '400': error('bad repo, since or owner'),
            '409': error('no run met a papercut since then (other than rejected ones): nothing to fix'),
            ...authErrors,
            ...unavailable,
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

/** Fleets: every answer comes from the orchestrator over NATS. */
function fleetPaths(): JsonSchema {
  const fleetAnswer = (description: string) => ({ description, content: json(ref('Fleet')) });
  const notFound = { '404': error('no such fleet') };
  return {
    '/api/v1/fleets': {
      post: {
        operationId: 'createFleet',
        summary:
          'Create a fleet: one work item per repository, at most `cap` running at once (scope work:write)',
        requestBody: { required: true, content: json(ref('CreateFleet')) },
        responses: {
          '201': fleetAnswer('created; its children are fanned out next'),
          '400': error(
            'the body does not fit CreateFleet, a repository is listed twice, or the glob matches nothing',
          ),
          ...authErrors,
          ...readUnavailable,
        },
      },
      get: {
        operationId: 'listFleets',
        summary: 'List fleets, newest first, with their progress (scope work:read)',
        responses: {
          '200': { description: 'the fleets', content: json(ref('FleetList')) },
          ...authErrors,
          ...readUnavailable,
        },
      },
    },
    '/api/v1/fleets/{id}': {
      get: {
        operationId: 'getFleet',
        summary: 'A fleet, its progress and its results table (scope work:read)',
        parameters: [idParam],
        responses: {
          '200': { description: 'the fleet', content: json(ref('FleetDetail')) },
          ...notFound,
          ...authErrors,
          ...readUnavailable,
        },
      },
    },
    '/api/v1/fleets/{id}/results': {
      get: {
        operationId: 'exportFleetResults',
        summary: 'The results table as JSON rows or CSV (scope work:read)',
        parameters: [
          idParam,
          { name: 'format', in: 'query', required: false, schema: { enum: ['json', 'csv'] } },
        ],
        responses: {
          '200': { description: 'the rows', content: { 'text/csv': { schema: { type: 'string' } } } },
          ...notFound,
          ...authErrors,
          ...readUnavailable,
        },
      },
    },
    '/api/v1/fleets/{id}/cancel': {
      post: {
        operationId: 'cancelFleet',
        summary:
          'Cancel a fleet: nothing more fans out, every child not ended is cancelled (scope work:write)',
        parameters: [idParam],
        responses: { '200': fleetAnswer('cancelled'), ...notFound, ...authErrors, ...readUnavailable },
      },
    },
    '/api/v1/fleets/{id}/retry': {
      post: {
        operationId: 'retryFleet',
        summary: 'Queue every failed or cancelled child again, together (scope work:write)',
        parameters: [idParam],
        responses: {
          '200': {
            description: 'the fleet and the repositories retried',
            content: json(ref('FleetRetried')),
          },
          '409': error('no child failed or was cancelled'),
          ...notFound,
          ...authErrors,
          ...readUnavailable,
        },
      },
    },
  };
}
