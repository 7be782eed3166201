import type { AnthropicRequest } from './anthropic-wire';
import type { ChatRequest } from './conversation';
import type { ResponsesRequest } from './responses-wire';
import type { WireName } from './http-wire';
import type { ScriptUsage } from './script';

// What the scripted model server keeps of each request, for tests to read.

export type RecordedRequestKind = 'title' | 'step' | 'models' | 'failure';

/** Every request that reached the server, in arrival order. */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** `anthropic` for `POST /v1/messages`, `openai-responses` for `POST /v1/responses`, `openai` for everything else. */
  wire: WireName;
  /**
   * The chat-completions body the script saw: the parsed JSON body on OpenAI's wire, the
   * Messages or Responses request translated on the others (undefined for a GET, a body that
   * is not JSON or a request the provider would refuse).
   */
  body?: ChatRequest;
  /** Anthropic's wire: the body as it came. */
  anthropicBody?: AnthropicRequest;
  /** The Responses wire: the body as it came. */
  responsesBody?: ResponsesRequest;
  /** Date.now() when the request's body had arrived. */
  receivedAt: number;
  kind: RecordedRequestKind;
  /** Catalog mode: the script that answered it (or was due, for a failure). */
  script?: string;
  /** Index of the script step that answered it. */
  step?: number;
  /** The usage the answer reported (title and step answers), for checking what a meter counted. */
  usage?: ScriptUsage;
}

/** A request the script could not answer; the client got HTTP 500 with `message`. */
export interface ScriptFailure {
  requestIndex: number;
  /** Catalog mode: the script chosen, when one was. */
  script?: string;
  /** Index of the step that was due, or -1 when the script had already ended (or none was chosen). */
  step: number;
  expected: string;
  received: string;
  message: string;
}
