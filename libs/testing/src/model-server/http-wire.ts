import type { IncomingMessage, ServerResponse } from 'node:http';
import { anthropicError, anthropicEvents, anthropicMessage } from './anthropic-wire';
import type { RecordedRequest } from './records';
import { responsesBody, responsesError, responsesEvents } from './responses-wire';
import { completionBody, streamChunks, type ModelReply } from './wire';

/**
 * The HTTP side of the scripted model server: how an answer, or a request the script cannot
 * answer, goes out on each provider's wire.
 */

export type WireName = 'openai' | 'anthropic' | 'openai-responses';

/** The wire a request came on, by its path. */
export function wireOf(path: string): WireName {
  if (path === '/v1/messages') return 'anthropic';
  return path === '/v1/responses' ? 'openai-responses' : 'openai';
}

/** How answers and failures go out on one wire. */
export interface Wire {
  name: WireName;
  replyIdPrefix: string;
  /** `request.body` is the chat-completions form the script saw; each wire reads its own body. */
  send(res: ServerResponse, request: RecordedRequest, reply: ModelReply): void;
  /** The body of the HTTP 500 a request the script cannot answer gets. */
  mismatchBody(message: string): unknown;
  /**
   * The body of the HTTP 400 a prompt no script knows gets: the provider's own shape for a request
   * it refuses, which clients report at once instead of retrying as they retry a 500.
   */
  refusalBody(message: string): unknown;
}

export const openAiWire: Wire = {
  name: 'openai',
  replyIdPrefix: 'chatcmpl-scripted-',
  send(res, { body }, reply) {
    if (!body!.stream) return sendJson(res, 200, completionBody(reply));
    writeEventStream(res);
    for (const chunk of streamChunks(reply, body!.stream_options?.include_usage === true)) {
      res.write(`data: ${JSON.stringify(chunk)}\n\n`);
    }
    res.end('data: [DONE]\n\n');
  },
  mismatchBody: (message) => ({
    error: { message, type: 'scripted_model_mismatch', code: 'script_mismatch' },
  }),
  refusalBody: (message) => ({ error: { message, type: 'invalid_request_error', param: null, code: null } }),
};

export const anthropicWire: Wire = {
  name: 'anthropic',
  replyIdPrefix: 'msg_scripted_',
  send(res, { body }, reply) {
    if (!body!.stream) return sendJson(res, 200, anthropicMessage(reply));
    writeEventStream(res);
    for (const { event, data } of anthropicEvents(reply))
      res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    res.end();
  },
  mismatchBody: (message) => anthropicError('api_error', message),
  refusalBody: (message) => anthropicError('invalid_request_error', message),
};

export const responsesWire: Wire = {
  name: 'openai-responses',
  replyIdPrefix: 'resp_scripted_',
  send(res, { responsesBody: request }, reply) {
    if (!request!.stream) return sendJson(res, 200, responsesBody(reply, request!));
    writeEventStream(res);
    for (const event of responsesEvents(reply, request!))
      res.write(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
    res.end();
  },
  mismatchBody: (message) => ({
    error: { message, type: 'scripted_model_mismatch', param: null, code: 'script_mismatch' },
  }),
  refusalBody: (message) => responsesError(message, null, null),
};

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export function parseJson(raw: string): unknown {
  try {
    return raw ? (JSON.parse(raw) as unknown) : undefined;
  } catch {
    return undefined;
  }
}

function writeEventStream(res: ServerResponse): void {
  res.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
  });
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
