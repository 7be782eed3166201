import { waitFor } from '@testing-library/react';
import { vi } from 'vitest';
import type { LiveEvent } from '../../../src/shared/console-api';

type Answer =
  { status?: number; body: unknown } | ((url: URL, init?: RequestInit) => { status?: number; body: unknown });

/**
 * Stubs `fetch` at the network edge: each route is a path (query ignored) and its answer.
 * Unknown paths answer 404 the way the backend does. Returns the mock to assert on calls.
 */
export function fakeFetch(routes: Record<string, Answer>) {
  const mock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(String(input), 'http://console.test');
    const route = routes[url.pathname];
    const answer = typeof route === 'function' ? route(url, init) : route;
    const status = answer?.status ?? (answer ? 200 : 404);
    const body = answer?.body ?? { statusCode: 404, error: 'Not Found', message: `no route ${url.pathname}` };
    if (status === 204) return new Response(null, { status });
    return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  });
  vi.stubGlobal('fetch', mock);
  return mock;
}

/** The browser's EventSource, driven by the test: `emit` delivers a `horizon` event. */
export class FakeEventSource {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSED = 2;
  static instances: FakeEventSource[] = [];

  readyState = FakeEventSource.CONNECTING;
  onopen: (() => void) | null = null;
  onerror: (() => void) | null = null;
  private readonly listeners: ((e: MessageEvent<string>) => void)[] = [];
  /** Listeners of other event names (a plan's `presence` and `changed`). */
  private readonly named: { name: string; listener: (e: MessageEvent<string>) => void }[] = [];

  constructor(readonly url: string) {
    FakeEventSource.instances.push(this);
  }

  addEventListener(name: string, listener: (e: MessageEvent<string>) => void) {
    if (name === 'horizon') this.listeners.push(listener);
    else this.named.push({ name, listener });
  }

  /** Delivers an event of another name with `data` as its JSON. */
  send(name: string, data: unknown) {
    const message = new MessageEvent(name, { data: JSON.stringify(data) });
    for (const n of this.named) if (n.name === name) n.listener(message);
  }

  open() {
    this.readyState = FakeEventSource.OPEN;
    this.onopen?.();
  }

  drop() {
    this.readyState = FakeEventSource.CONNECTING;
    this.onerror?.();
  }

  emit(event: LiveEvent) {
    const message = new MessageEvent('horizon', {
      data: JSON.stringify(event),
      lastEventId: String(event.seq),
    });
    for (const listener of this.listeners) listener(message);
  }

  close() {
    this.readyState = FakeEventSource.CLOSED;
  }

  static install() {
    FakeEventSource.instances = [];
    vi.stubGlobal('EventSource', FakeEventSource);
  }

  /**
   * The page's EventSource once it has opened one. Pages open it in an effect after the render
   * that shows their data, and React may run that effect a little later than the render (it
   * did on a loaded CI machine), so a test waits for it before driving events.
   */
  static opened(): Promise<FakeEventSource> {
    return waitFor(() => FakeEventSource.last);
  }

  static get last(): FakeEventSource {
    const source = FakeEventSource.instances.at(-1);
    if (!source) throw new Error('no EventSource was opened');
    return source;
  }
}
