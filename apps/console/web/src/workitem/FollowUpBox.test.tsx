import { act, fireEvent, screen, within } from '@testing-library/react';
import axe from 'axe-core';
import { beforeEach, describe, expect, it } from 'vitest';
import type { LiveEvent, Role, RunPage, WorkItemPage } from '../../../src/shared/console-api';
import { detail, session, uuid } from '../testing/fixtures';
import { FakeEventSource, fakeFetch } from '../testing/network';
import { renderApp } from '../testing/renderApp';

const runId = uuid();
const workItemId = uuid();
const path = `/api/work-items/${workItemId}/follow-ups`;

function runPage(running: boolean): RunPage {
  return {
    run: {
      id: runId,
      attempt: 1,
      flavour: 'implement',
      harness: 'opencode',
      branch: 'horizon/refunds',
      outcome: running ? null : 'failed',
      failureReason: running ? null : 'the agent gave up',
      commitSha: null,
      queuedAt: '2026-12-01T10:00:00.000Z',
      startedAt: '2026-12-01T10:00:00.000Z',
      finishedAt: running ? null : '2026-12-01T10:05:00.000Z',
      inputTokens: 0,
      outputTokens: 0,
      costUsd: 0,
      toolCalls: 0,
      verification: [],
      friction: [],
      browser: [],
      durationMs: null,
    },
    workItem: {
      id: workItemId,
      title: 'Add refunds',
      repo: 'demo/cart',
      state: running ? 'running' : 'failed',
    },
    transcript: [],
    browser: { results: [], evidence: [] },
    streamSeq: 10,
  };
}

function serve(
  role: Role,
  running = true,
  followUp: { status?: number; body: unknown } = {
    status: 202,
    body: { id: workItemId, status: 'accepted' },
  },
) {
  return fakeFetch({
    '/api/session': { body: { ...session, grants: [{ repo: 'demo/cart', role }] } },
    [`/api/runs/${runId}`]: { body: runPage(running) },
    [path]: followUp,
  });
}

const box = () => screen.findByRole('textbox', { name: 'Your message' });
const sendButton = () => screen.getByRole('button', { name: 'Send to the agent' });

const followUpReceived = (seq: number): LiveEvent => ({
  seq,
  subject: 'hzn.evt.run.progress',
  occurredAt: '2026-12-01T10:02:00.000Z',
  data: {
    runId,
    workItemId,
    seq: 0,
    phase: 'harness',
    kind: 'follow_up.received',
    summary: 'follow-up from Ada Lovelace on the Horizon console: Keep the old endpoint.',
    detail: {
      origin: 'console',
      author: 'Ada Lovelace',
      text: 'Keep the old endpoint.',
      passedTo: 'running turn',
    },
  },
});

beforeEach(() => FakeEventSource.install());

describe('the chat box to the agent', () => {
  it('sends the trimmed message with the CSRF token, is disabled while sending, and the transcript shows it with its author', async () => {
    const fetch = serve('member');
    renderApp(`/runs/${runId}`);
    const text = await box();
    expect(sendButton()).toBeDisabled();
    fireEvent.change(text, { target: { value: '  Keep the old endpoint.  ' } });
    expect(screen.getByText(/as written by Ada Lovelace/)).toBeInTheDocument();
    fireEvent.click(sendButton());
    expect(screen.getByRole('button', { name: 'Sending…' })).toBeDisabled();
    expect(await screen.findByText(/^Sent; it shows in the transcript/)).toHaveAttribute('role', 'status');
    expect(text).toHaveValue('');
    const [, init] = fetch.mock.calls.find(([url]) => String(url) === path)!;
    expect(init).toMatchObject({ method: 'POST', headers: { 'x-csrf-token': 'csrf-123' } });
    expect(JSON.parse(String(init!.body))).toEqual({ text: 'Keep the old endpoint.' });

    await FakeEventSource.opened();
    act(() => FakeEventSource.last.emit(followUpReceived(11)));
    const line = within(screen.getByRole('log', { name: 'Transcript' })).getByText(/Keep the old endpoint\./);
    expect(line).toHaveClass('human');
    expect(line).toHaveTextContent('follow-up Ada Lovelace in the console: Keep the old endpoint.');
  });

  it('sends with Ctrl+Enter, and a plain Enter is a new line', async () => {
    const fetch = serve('admin');
    renderApp(`/runs/${runId}`);
    const text = await box();
    fireEvent.change(text, { target: { value: 'Use the ledger' } });
    fireEvent.keyDown(text, { key: 'Enter' });
    expect(fetch.mock.calls.some(([url]) => String(url) === path)).toBe(false);
    fireEvent.keyDown(text, { key: 'Enter', ctrlKey: true });
    expect(await screen.findByText(/^Sent;/)).toHaveAttribute('role', 'status');
    expect(fetch.mock.calls.filter(([url]) => String(url) === path)).toHaveLength(1);
  });

  it('says what the backend refused and what to do, keeping the text', async () => {
    serve('member', true, {
      status: 409,
      body: {
        statusCode: 409,
        error: 'Conflict',
        message: 'the agent is not running on this work item: it is failed; retry it to start a new run',
      },
    });
    renderApp(`/runs/${runId}`);
    const text = await box();
    fireEvent.change(text, { target: { value: 'Still there?' } });
    fireEvent.click(sendButton());
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent(
      'Sending your message failed: the agent is not running on this work item',
    );
    expect(alert).toHaveTextContent('The message above says what to change or do instead.');
    expect(text).toHaveValue('Still there?');
  });

  it('will not send a message over the limit, and says by how much', async () => {
    serve('member');
    renderApp(`/runs/${runId}`);
    const text = await box();
    fireEvent.change(text, { target: { value: 'x'.repeat(8003) } });
    expect(sendButton()).toBeDisabled();
    expect(text).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByText(/^3 characters too long/)).toBeInTheDocument();
  });

  it('is disabled when the agent is not running, saying what to do instead', async () => {
    serve('member', false);
    renderApp(`/runs/${runId}`);
    const text = await box();
    expect(text).toBeDisabled();
    expect(sendButton()).toBeDisabled();
    expect(
      screen.getByText(
        'The agent is not running on this work item: it is failed; retry it to start a new run, then write to that one.',
      ),
    ).toBeInTheDocument();
  });

  it('on the page of an ended run while a newer one works, points to the work item', async () => {
    const page = runPage(false);
    fakeFetch({
      '/api/session': { body: { ...session, grants: [{ repo: 'demo/cart', role: 'member' }] } },
      [`/api/runs/${runId}`]: { body: { ...page, workItem: { ...page.workItem, state: 'running' } } },
    });
    renderApp(`/runs/${runId}`);
    expect(await box()).toBeDisabled();
    const help = screen.getByText(/^This run has ended; the agent is at work in a newer one/);
    expect(within(help).getByRole('link', { name: 'the work item' })).toHaveAttribute(
      'href',
      `/work/${workItemId}`,
    );
  });

  it.each([
    ['in flight', null, 'running', true],
    ['ended', 'failed', 'failed', false],
  ] as const)(
    'on a work item page, is enabled only while its latest run is in flight (%s)',
    async (_, outcome, state, enabled) => {
      const run = { ...runPage(true).run, outcome };
      fakeFetch({
        '/api/session': { body: { ...session, grants: [{ repo: 'demo/cart', role: 'member' }] } },
        [`/api/work-items/${workItemId}`]: {
          body: {
            workItem: detail({ id: workItemId, repo: 'demo/cart', title: 'Add refunds', state, runs: [run] }),
            streamSeq: 3,
          } satisfies WorkItemPage,
        },
      });
      renderApp(`/work/${workItemId}`);
      expect((await box()).hasAttribute('disabled')).toBe(!enabled);
    },
  );

  it('is not offered to a viewer of the repository', async () => {
    serve('viewer');
    renderApp(`/runs/${runId}`);
    await screen.findByRole('heading', { level: 1 });
    expect(screen.queryByRole('textbox', { name: 'Your message' })).toBeNull();
  });

  it('has no serious or critical accessibility violations', async () => {
    serve('member');
    renderApp(`/runs/${runId}`);
    await box();
    const result = await axe.run(document.body);
    const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(bad.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
  });
});
