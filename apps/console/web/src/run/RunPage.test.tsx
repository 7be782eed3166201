import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import axe from 'axe-core';
import { beforeEach, describe, expect, it } from 'vitest';
import type { LiveEvent, RunPage, TranscriptEntry } from '../../../src/shared/console-api';
import { session, uuid } from '../testing/fixtures';
import { FakeEventSource, fakeFetch } from '../testing/network';
import { renderApp } from '../testing/renderApp';

const runId = uuid();
const workItemId = uuid();

const line = (seq: number, kind: string, summary: string, detail: Record<string, unknown> = {}) =>
  ({
    seq,
    phase: 'harness',
    kind,
    summary,
    detail,
    at: '2026-12-01T10:00:00.000Z',
  }) satisfies TranscriptEntry;

const page: RunPage = {
  run: {
    id: runId,
    attempt: 2,
    flavour: 'implement',
    harness: 'claude-code',
    branch: 'horizon/coupons',
    outcome: null,
    failureReason: null,
    commitSha: null,
    queuedAt: '2026-12-01T10:00:00.000Z',
    startedAt: '2026-12-01T10:00:00.000Z',
    finishedAt: null,
    inputTokens: 12000,
    outputTokens: 3400,
    costUsd: 0.42,
    toolCalls: 17,
    verification: [{ command: 'npm test', exitCode: 1, durationMs: 2200 }],
    friction: [],
    browser: [],
    durationMs: null,
  },
  workItem: { id: workItemId, title: 'Add coupons', repo: 'demo/cart', state: 'running' },
  transcript: [
    line(0, 'text', 'I will look at the cart.', { text: 'I will look at the cart.\nThen add coupons.' }),
    line(1, 'tool_use', 'bash npm test: completed (exit 1)', {
      tool: 'bash',
      status: 'completed',
      input: { command: 'npm test' },
      output: '1 failing',
      exitCode: 1,
    }),
  ],
  browser: { results: [], evidence: [] },
  streamSeq: 40,
};

function progress(seq: number, entrySeq: number, kind: string, detail: Record<string, unknown>): LiveEvent {
  return {
    seq,
    subject: 'hzn.evt.run.progress',
    occurredAt: '2026-12-01T10:01:00.000Z',
    data: {
      runId,
      workItemId,
      seq: entrySeq,
      phase: 'harness',
      kind,
      summary: `${kind} ${entrySeq}`,
      detail,
    },
  };
}

const ended: RunPage = {
  ...page,
  run: {
    ...page.run,
    outcome: 'succeeded',
    finishedAt: '2026-12-01T10:00:11.000Z',
    friction: [
      {
        kind: 'command_failed',
        signature: 'command_failed:npm test',
        summary: '`npm test` exited 1',
        count: 2,
        evidence: [1],
      },
      {
        kind: 'setup_gap',
        signature: 'setup_gap:owner trailer',
        summary: 'no owner Co-authored-by trailer: no email',
        count: 1,
        evidence: [],
      },
    ],
  },
};

function serve(answer: RunPage = page) {
  return fakeFetch({ '/api/session': { body: session }, [`/api/runs/${runId}`]: { body: answer } });
}

/** jsdom lays nothing out: give the transcript box the sizes a browser would. */
function sized(box: HTMLElement, scrollHeight: number) {
  Object.defineProperty(box, 'clientHeight', { configurable: true, value: 200 });
  Object.defineProperty(box, 'scrollHeight', { configurable: true, value: scrollHeight });
}

beforeEach(() => FakeEventSource.install());

describe('run page', () => {
  it('shows the run, its transcript with tool calls folded, and its checks', async () => {
    serve();
    renderApp(`/runs/${runId}`);
    const title = await screen.findByRole('heading', { level: 1 });
    expect(title).toHaveTextContent('Run 2 of Add coupons');
    expect(within(title).getByRole('link', { name: 'Add coupons' })).toHaveAttribute(
      'href',
      `/work/${workItemId}`,
    );
    const facts = document.querySelector('.facts')!;
    expect(facts).toHaveTextContent('implement');
    expect(facts).toHaveTextContent('Harnessclaude-code');
    expect(facts).toHaveTextContent('running');
    expect(facts).toHaveTextContent('12,000 / 3,400');
    expect(facts).toHaveTextContent('$0.42');
    expect(facts).toHaveTextContent('Tool calls17');

    const log = screen.getByRole('log', { name: 'Transcript' });
    expect(within(log).getByText(/Then add coupons\./)).toBeInTheDocument();
    const tool = log.querySelector('details')!;
    expect(tool).not.toHaveAttribute('open');
    expect(within(tool).getByText('$ npm test')).toBeInTheDocument();
    expect(tool.querySelector('summary')).toHaveTextContent('exit 1');
    expect(within(tool).getByText('1 failing')).not.toBeVisible();
    fireEvent.click(within(tool).getByText('$ npm test'));
    expect(tool).toHaveAttribute('open');

    const checks = screen.getByRole('region', { name: 'Verification' });
    expect(checks).toHaveTextContent('npm test exit 1 (2.2 s)');
    // Friction comes with the run's end.
    expect(screen.queryByRole('region', { name: 'Friction' })).toBeNull();
  });

  it('adds lines live, once each, and follows them until the person scrolls up', async () => {
    serve();
    renderApp(`/runs/${runId}`);
    const log = await screen.findByRole('log', { name: 'Transcript' });
    await FakeEventSource.opened();
    expect(FakeEventSource.last.url).toBe('/api/events?after=40');
    sized(log, 1000);
    act(() => {
      FakeEventSource.last.emit(progress(41, 2, 'text', { text: 'Fixing the test.' }));
      FakeEventSource.last.emit(progress(42, 2, 'text', { text: 'Fixing the test.' }));
      FakeEventSource.last.emit(progress(43, 1, 'tool_use', { tool: 'bash' }));
      FakeEventSource.last.emit({
        ...progress(44, 3, 'text', { text: 'Another run.' }),
        data: { runId: uuid(), seq: 3 },
      });
    });
    expect(within(log).getAllByRole('listitem')).toHaveLength(3);
    expect(within(log).getAllByText('Fixing the test.')).toHaveLength(1);
    expect(log.scrollTop).toBe(1000);

    // The person scrolls up to read: new lines no longer pull them down.
    log.scrollTop = 100;
    fireEvent.scroll(log);
    sized(log, 1400);
    act(() =>
      FakeEventSource.last.emit(progress(45, 4, 'verify.failed', { command: 'npm run lint', exitCode: 2 })),
    );
    expect(log.scrollTop).toBe(100);
    expect(within(log).getByText('$ npm run lint')).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'New lines below: follow the run' }));
    expect(log.scrollTop).toBe(1400);
  });

  it('reads the run again when it finishes, for its outcome and usage', async () => {
    let answer: RunPage = page;
    fakeFetch({ '/api/session': { body: session }, [`/api/runs/${runId}`]: () => ({ body: answer }) });
    renderApp(`/runs/${runId}`);
    await screen.findByRole('log', { name: 'Transcript' });
    answer = {
      ...page,
      run: { ...page.run, outcome: 'failed', finishedAt: '2026-12-01T10:00:11.000Z', durationMs: 11000 },
    };
    await FakeEventSource.opened();
    act(() =>
      FakeEventSource.last.emit({
        seq: 41,
        subject: 'hzn.evt.run.finished',
        occurredAt: '2026-12-01T10:00:11.000Z',
        data: { runId, workItemId, outcome: 'failed' },
      }),
    );
    expect(await screen.findByText('11.0 s', {}, { timeout: 2000 })).toBeInTheDocument();
    expect(document.querySelector('.facts')).toHaveTextContent('failed');
    // A finished run has nothing left to cancel.
    expect(screen.queryByRole('button', { name: 'Cancel work item' })).toBeNull();
    // The transcript kept its lines across the reload.
    expect(within(screen.getByRole('log')).getAllByRole('listitem')).toHaveLength(2);
  });

  it('shows an ended run’s friction, each with the transcript lines that show it', async () => {
    serve(ended);
    renderApp(`/runs/${runId}`);
    const friction = await screen.findByRole('region', { name: 'Friction' });
    const [failed, gap] = within(friction).getAllByRole('listitem');
    expect(failed).toHaveTextContent('command failed `npm test` exited 1 ×2 line 2');
    expect(gap).toHaveTextContent('setup gap no owner Co-authored-by trailer: no email');
    expect(within(gap!).queryByRole('button')).toBeNull();

    const tool = screen.getByRole('log', { name: 'Transcript' }).querySelectorAll('li')[1]!;
    expect(tool.querySelector('details')).not.toHaveAttribute('open');
    fireEvent.click(within(failed!).getByRole('button', { name: 'Show transcript line 2' }));
    expect(tool.querySelector('details')).toHaveAttribute('open');
    expect(tool).toHaveClass('entry-shown');
  });

  it('opens at the line a link names (#line-2: the second entry)', async () => {
    serve();
    renderApp(`/runs/${runId}#line-2`);
    const log = await screen.findByRole('log', { name: 'Transcript' });
    // The entries arrive, then the page scrolls to the named one: on a loaded machine, a moment later.
    const second = await waitFor(() => {
      const entry = log.querySelectorAll('li')[1]!;
      expect(entry.querySelector('details')).toHaveAttribute('open');
      return entry;
    });
    expect(second).toHaveClass('entry-shown');
    expect(log.querySelectorAll('li')[0]).not.toHaveClass('entry-shown');
  });

  it('says so when nothing got in an ended run’s way', async () => {
    serve({ ...page, run: { ...page.run, outcome: 'succeeded', finishedAt: '2026-12-01T10:00:11.000Z' } });
    renderApp(`/runs/${runId}`);
    const friction = await screen.findByRole('region', { name: 'Friction' });
    expect(friction).toHaveTextContent('Nothing got in this run’s way.');
  });

  it('names what failed when the run is not found', async () => {
    fakeFetch({ '/api/session': { body: session } });
    renderApp(`/runs/${uuid()}`);
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Loading this run failed');
    expect(alert).toHaveTextContent('Check the link');
  });

  it('has no serious or critical accessibility violations', async () => {
    serve(ended);
    const { container } = renderApp(`/runs/${runId}`);
    await screen.findByRole('region', { name: 'Friction' });
    const result = await axe.run(container);
    const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(bad.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
  });
});
