import { createParser, type EventSourceParser } from 'eventsource-parser';

/**
 * What one model response cost, as the provider itself reported it. `input` counts every
 * prompt token, the cached and cache-written ones included, whichever wire it came on:
 * OpenAI's `prompt_tokens` already includes `cached_tokens`, Anthropic's `input_tokens`
 * leaves out `cache_read_input_tokens` and `cache_creation_input_tokens`, so they are added.
 */
export interface ModelUsage {
  /** The model the provider answered with (it may differ from the one asked for). */
  model: string | null;
  input: number;
  output: number;
  cachedInput: number;
  cacheWriteInput: number;
  /** False when the response carried no usage (an error, or a stream sent without it). */
  reported: boolean;
}

type Json = Record<string, unknown>;

/** A non-streamed body larger than this is not kept for counting: no model reply is near it. */
const maxJsonBody = 32 * 1024 * 1024;

const count = (value: unknown): number => (typeof value === 'number' && value >= 0 ? value : 0);
const object = (value: unknown): Json | undefined =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : undefined;

/**
 * Reads the usage out of a model response while it passes through to the sandbox: chunks are
 * observed, never held back, so a stream reaches the agent as fast as it left the provider.
 * Recognises the wire by the body's shape, not by the configured provider, because an
 * `openai-compatible` gateway may well speak Anthropic's Messages API.
 */
export class ModelUsageMeter {
  private readonly usage: ModelUsage = {
    model: null,
    input: 0,
    output: 0,
    cachedInput: 0,
    cacheWriteInput: 0,
    reported: false,
  };
  private readonly sse?: EventSourceParser;
  private readonly decoder = new TextDecoder();
  private body: Buffer[] = [];
  private bodyBytes = 0;

  constructor(contentType: string | undefined) {
    if (/^text\/event-stream\b/i.test(contentType ?? '')) {
      this.sse = createParser({ onEvent: (event) => this.onEvent(event.data) });
    }
  }

  observe(chunk: Buffer): void {
    if (this.sse) return this.sse.feed(this.decoder.decode(chunk, { stream: true }));
    this.bodyBytes += chunk.length;
    if (this.bodyBytes <= maxJsonBody) this.body.push(chunk);
    else this.body = [];
  }

  /** The usage of the whole response, once it has ended (or was cut off). */
  finish(): ModelUsage {
    if (!this.sse && this.bodyBytes > 0 && this.bodyBytes <= maxJsonBody) {
      const parsed = parseJson(Buffer.concat(this.body).toString('utf8'));
      if (parsed) this.onWhole(parsed);
    }
    this.body = [];
    return { ...this.usage };
  }

  private onEvent(data: string): void {
    if (data === '[DONE]') return;
    const event = parseJson(data);
    if (!event) return;
    switch (event.type) {
      case 'message_start': {
        // Anthropic: the prompt's tokens (and the model) come first…
        const message = object(event.message);
        this.model(message?.model);
        return this.anthropic(object(message?.usage));
      }
      case 'message_delta':
        // …and the output's in the last delta, as a running total, not an increment.
        return this.anthropic(object(event.usage));
      case 'response.completed':
      case 'response.incomplete':
        // OpenAI Responses API: the final event carries the whole response.
        return this.onWhole(object(event.response) ?? {});
      default:
        // OpenAI chat completions: one chunk (the last, with empty choices) carries `usage`.
        if (event.object === 'chat.completion.chunk') {
          this.model(event.model);
          if (object(event.usage)) this.openai(object(event.usage)!);
        }
    }
  }

  private onWhole(body: Json): void {
    this.model(body.model);
    const usage = object(body.usage);
    if (!usage) return;
    if (body.type === 'message') this.anthropic(usage);
    else this.openai(usage);
  }

  /** Chat completions (`prompt_tokens`) and the Responses API (`input_tokens`) alike. */
  private openai(usage: Json): void {
    const details = object(usage.prompt_tokens_details) ?? object(usage.input_tokens_details);
    this.usage.input = count(usage.prompt_tokens ?? usage.input_tokens);
    this.usage.output = count(usage.completion_tokens ?? usage.output_tokens);
    this.usage.cachedInput = count(details?.cached_tokens);
    this.usage.reported = true;
  }

  /** Fields absent from an event keep the value an earlier event gave them. */
  private anthropic(usage: Json | undefined): void {
    if (!usage) return;
    const u = this.usage;
    const given = (key: string) => typeof usage[key] === 'number';
    if (given('cache_read_input_tokens')) u.cachedInput = count(usage.cache_read_input_tokens);
    if (given('cache_creation_input_tokens')) u.cacheWriteInput = count(usage.cache_creation_input_tokens);
    if (given('input_tokens')) u.input = count(usage.input_tokens) + u.cachedInput + u.cacheWriteInput;
    if (given('output_tokens')) u.output = count(usage.output_tokens);
    u.reported = true;
  }

  private model(value: unknown): void {
    if (typeof value === 'string' && value) this.usage.model = value;
  }
}

function parseJson(text: string): Json | undefined {
  try {
    return object(JSON.parse(text));
  } catch {
    return undefined;
  }
}
