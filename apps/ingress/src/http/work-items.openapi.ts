import { authErrors, error, idParam, json, ref, unavailable, unavailableBecause } from './openapi-parts';
import type { JsonSchema } from './openapi-parts';

/** What a caller does to an existing work item: each answers 202 once its event is on the stream. */
export function workItemStepPaths(): JsonSchema {
  return {
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
    '/api/v1/work-items/{id}/budget': {
      post: {
        operationId: 'answerBudget',
        summary: 'Answer a work item waiting at a budget: continue with more, or stop (scope work:write)',
        description:
          "continue: its held run goes on (its allowance and its item's grow by extraUsd / extraTokens), or an item that could not start is queued; stop: the held run ends where it stood, its work committed and pushed to its branch.",
        parameters: [idParam],
        requestBody: { required: true, content: json(ref('BudgetAnswer')) },
        responses: {
          '202': { description: 'accepted', content: json(ref('Accepted')) },
          '400': error('bad id or body (continue needs an extra amount)'),
          '404': error('no such work item'),
          '409': error('the work item is not waiting at a budget'),
          ...authErrors,
          ...unavailable,
        },
      },
    },
    '/api/v1/work-items/{id}/start': {
      post: {
        operationId: 'startWorkItem',
        summary: 'Start a planned work item: it is queued and runs (scope work:write)',
        description:
          "For an item waiting in planned for a person: a retro's proposal, one created with autoStart false, one its blockers released into planned. Answers 202 once the request is on the event stream; the item moves planned → queued when the orchestrator takes it.",
        parameters: [idParam],
        requestBody: { required: false, content: json(ref('StartWorkItem')) },
        responses: {
          '202': { description: 'accepted', content: json(ref('Accepted')) },
          '400': error('bad id or body'),
          '404': error('no such work item'),
          '409': error('the work item is not planned (only a planned item waits to be started)'),
          ...authErrors,
          ...unavailableBecause('the orchestrator (reading the item) or JetStream'),
        },
      },
    },
  };
}
