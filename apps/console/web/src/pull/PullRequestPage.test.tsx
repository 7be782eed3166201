import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import axe from 'axe-core';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { PullRequestPage } from '../../../src/shared/console-api';
import { session, stateChanged, uuid } from '../testing/fixtures';
import { FakeEventSource, fakeFetch } from '../testing/network';
import { renderApp } from '../testing/renderApp';

// Highlighting is shiki's (highlight.test.ts); here a stand-in colours every line alike.
vi.mock('./highlight', () => ({
  highlighterFor: async () => ({
    highlight: (code: string) =>
      code.split('\n').flatMap((line, i) => [
        ...(i > 0 ? [{ type: 'text', value: '\n' }] : []),
        {
          type: 'element',
          tagName: 'span',
          properties: { className: ['token'] },
          color: '#cf222e',
          children: [{ type: 'text', value: line }],
        },
      ]),
  }),
}));

const workItemId = uuid();
const headSha = 'a'.repeat(40);
const PATH = '/api/pulls/acme/shop/4';
const DIFF = `diff --git a/coupons.ts b/coupons.ts
new file mode 100644
index 0000000..1111111
--- /dev/null
+++ b/coupons.ts
@@ -0,0 +1,2 @@
+export const coupon = (code: string) => code === 'SAVE10';
+export const percent = 10;
`;

function pull(overrides: Partial<PullRequestPage> = {}, pr: Partial<PullRequestPage['pullRequest']> = {}) {
  const page: PullRequestPage = {
    repo: 'acme/shop',
    role: 'member',
    pullRequest: {
      number: 4,
      title: 'Add coupons',
      body: 'Closes CART-2',
      state: 'open',
      merged: false,
      mergedBy: null,
      author: 'horizon[bot]',
      headRef: 'horizon/abc-coupons',
      baseRef: 'main',
      headSha,
      approved: false,
      approvedBy: [],
      changesRequestedBy: ['grace'],
      mergeable: true,
      mergeableReason: null,
      createdAt: '2026-12-01T10:00:00.000Z',
      updatedAt: '2026-12-01T10:00:00.000Z',
      ...pr,
    },
    checkRuns: [
      {
        id: 1,
        name: 'horizon/verify',
        conclusion: 'success',
        summary: 'npm test: exit 0',
        createdAt: '2026-12-01T10:00:00.000Z',
      },
      {
        id: 2,
        name: 'lint',
        conclusion: 'failure',
        summary: 'npm run lint: exit 1',
        createdAt: '2026-12-01T10:00:00.000Z',
      },
    ],
    reviews: [
      {
        id: 10,
        author: 'grace',
        state: 'changes_requested',
        body: 'Codes must be case-insensitive.',
        commitSha: headSha,
        createdAt: '2026-12-01T10:05:00.000Z',
      },
    ],
    comments: [
      {
        id: 20,
        reviewId: 10,
        author: 'grace',
        body: 'Lower-case it here.',
        path: 'coupons.ts',
        line: 1,
        createdAt: '2026-12-01T10:05:00.000Z',
      },
      {
        id: 21,
        reviewId: null,
        author: 'ada',
        body: 'Looks close. **Browser check:** [diff](https://console.example/api/runs/r1/evidence/a1)',
        path: null,
        line: null,
        createdAt: '2026-12-01T10:06:00.000Z',
      },
    ],
    workItem: { id: workItemId, title: 'Discount codes', state: 'in_review' },
    diff: DIFF,
    streamSeq: 5,
    ...overrides,
  };
  return page;
}

/** The API with this page; POSTs answer `post` and are recorded. */
function serve(page: PullRequestPage, post: { status: number; body: unknown } = { status: 201, body: {} }) {
  const posts: { path: string; body: unknown; csrf: string | null }[] = [];
  const fetch = fakeFetch({
    '/api/session': { body: session },
    [PATH]: { body: page },
    [`${PATH}/reviews`]: (url, init) => {
      posts.push({
        path: url.pathname,
        body: JSON.parse(String(init?.body)),
        csrf: header(init, 'x-csrf-token'),
      });
      return post;
    },
    [`${PATH}/merge`]: (url, init) => {
      posts.push({
        path: url.pathname,
        body: JSON.parse(String(init?.body)),
        csrf: header(init, 'x-csrf-token'),
      });
      return post;
    },
  });
  const reads = () => fetch.mock.calls.filter(([u, init]) => String(u) === PATH && !init?.method).length;
  return { fetch, posts, reads };
}

function header(init: RequestInit | undefined, name: string): string | null {
  return new Headers(init?.headers).get(name);
}

beforeEach(() => FakeEventSource.install());

describe('pull request page', () => {
  it('shows the evidence first — checks, work item, reviews — then the diff with its line comments', async () => {
    serve(pull());
    renderApp('/pulls/acme/shop/4');
    expect(await screen.findByRole('heading', { level: 1, name: /Add coupons/ })).toBeInTheDocument();

    const checks = screen.getByRole('region', { name: 'Checks' });
    const rows = within(checks).getAllByRole('listitem');
    expect(rows[0]).toHaveTextContent('passed horizon/verify');
    expect(rows[1]).toHaveTextContent('failed lint');
    expect(rows[1]).toHaveTextContent('npm run lint: exit 1');
    expect(screen.getByRole('link', { name: 'Discount codes' })).toHaveAttribute(
      'href',
      `/work/${workItemId}`,
    );
    expect(screen.getByRole('region', { name: 'Reviews' })).toHaveTextContent('grace requested changes');
    const comments = screen.getByRole('region', { name: 'Comments' });
    // A comment is markdown, as Horizon writes its own: links are links, not bracketed text
    // (once the renderer's chunk has loaded; the text as written shows until then).
    const link = await within(comments).findByRole('link', { name: 'diff' });
    expect(comments).toHaveTextContent('ada: Looks close. Browser check: diff');
    expect(link).toHaveAttribute('href', 'https://console.example/api/runs/r1/evidence/a1');

    const file = await screen.findByRole('region', { name: 'Changes to coupons.ts' });
    expect(file).toHaveTextContent("export const coupon = (code: string) => code === 'SAVE10';");
    expect(within(file).getByRole('list', { name: 'Comments on coupons.ts line 1' })).toHaveTextContent(
      'grace: Lower-case it here.',
    );
    // The lazily loaded highlighter's colours reach the rendered tokens.
    await waitFor(() => expect(file.querySelector('span[style*="color"]')).not.toBeNull());

    // Evidence comes before the diff in the page.
    const order = [...document.querySelectorAll('h2')].map((h) => h.textContent);
    expect(order.indexOf('Checks')).toBeLessThan(order.indexOf('Changes'));
    expect(order.indexOf('Reviews')).toBeLessThan(order.indexOf('Changes'));
  });

  it('approves with the CSRF token, disables every button while it is in flight, then reads the page again', async () => {
    const api = serve(pull());
    let release = () => {};
    const gate = new Promise<void>((r) => (release = r));
    const answer = api.fetch.getMockImplementation()!;
    api.fetch.mockImplementation(async (input, init) => {
      if (init?.method === 'POST') await gate;
      return answer(input, init);
    });
    renderApp('/pulls/acme/shop/4');
    const approve = await screen.findByRole('button', { name: 'Approve' });
    await userEvent.click(approve);
    expect(screen.getByRole('button', { name: 'Approving…' })).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Merge' })).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Request changes' })).toBeDisabled();
    release();
    await waitFor(() => expect(api.reads()).toBe(2));
    expect(api.posts).toEqual([{ path: `${PATH}/reviews`, body: { event: 'APPROVE' }, csrf: 'csrf-123' }]);
    expect(await screen.findByRole('button', { name: 'Approve' })).toBeEnabled();
  });

  it('requests changes only with a comment, which it sends as the review body', async () => {
    const api = serve(pull());
    renderApp('/pulls/acme/shop/4');
    const request = await screen.findByRole('button', { name: 'Request changes' });
    expect(request).toBeDisabled();
    await userEvent.type(
      screen.getByRole('textbox', { name: 'Comment (required to request changes)' }),
      'Handle upper case.',
    );
    expect(request).toBeEnabled();
    await userEvent.click(request);
    await waitFor(() =>
      expect(api.posts).toEqual([
        {
          path: `${PATH}/reviews`,
          body: { event: 'REQUEST_CHANGES', body: 'Handle upper case.' },
          csrf: 'csrf-123',
        },
      ]),
    );
  });

  it('merges the head it shows, and says what failed and what to do when the forge refuses', async () => {
    const api = serve(pull(), {
      status: 409,
      body: { statusCode: 409, error: 'Conflict', message: 'not mergeable: approve it first' },
    });
    renderApp('/pulls/acme/shop/4');
    await userEvent.click(await screen.findByRole('button', { name: 'Merge' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Merging failed: not mergeable: approve it first');
    expect(alert).toHaveTextContent('do what the message says');
    expect(api.posts).toEqual([{ path: `${PATH}/merge`, body: { sha: headSha }, csrf: 'csrf-123' }]);
    await waitFor(() => expect(api.reads()).toBe(2));
  });

  it('reads the page again when its work item moves (a revise run starts), and not for other items', async () => {
    const api = serve(pull());
    renderApp('/pulls/acme/shop/4');
    await screen.findByRole('heading', { level: 1, name: /Add coupons/ });
    await FakeEventSource.opened();
    expect(FakeEventSource.last.url).toBe('/api/events?after=5');
    act(() => FakeEventSource.last.emit(stateChanged(6, uuid(), 'queued', 'running')));
    await new Promise((r) => setTimeout(r, 400));
    expect(api.reads()).toBe(1);

    const page = api.fetch.getMockImplementation()!;
    api.fetch.mockImplementation(async (input, init) =>
      String(input) === PATH
        ? new Response(
            JSON.stringify(
              pull({ workItem: { id: workItemId, title: 'Discount codes', state: 'revising' } }),
            ),
            { status: 200, headers: { 'content-type': 'application/json' } },
          )
        : page(input, init),
    );
    act(() => FakeEventSource.last.emit(stateChanged(7, workItemId, 'in_review', 'revising')));
    await waitFor(() => expect(api.reads()).toBe(2));
    expect(await screen.findByText(/A revise run is answering the requested changes/)).toBeInTheDocument();
  });

  it('keeps Merge off, with the reason, when the forge says it cannot merge', async () => {
    serve(pull({}, { mergeable: false, mergeableReason: 'conflict in coupons.ts' }));
    renderApp('/pulls/acme/shop/4');
    expect(await screen.findByRole('button', { name: 'Merge' })).toBeDisabled();
    expect(screen.getByText('Merge is off: conflict in coupons.ts.')).toBeInTheDocument();
  });

  it('keeps Merge off while a revise run answers the requested changes', async () => {
    serve(pull({ workItem: { id: workItemId, title: 'Discount codes', state: 'revising' } }));
    renderApp('/pulls/acme/shop/4');
    expect(await screen.findByRole('button', { name: 'Merge' })).toBeDisabled();
    expect(screen.getByText(/Merge is off: a revise run is answering the requested changes/)).toBeVisible();
    expect(screen.getByRole('button', { name: 'Approve' })).toBeEnabled();
  });

  it('shows a viewer the evidence and no review or merge buttons', async () => {
    serve(pull({ role: 'viewer' }));
    renderApp('/pulls/acme/shop/4');
    await screen.findByRole('heading', { level: 1, name: /Add coupons/ });
    expect(screen.queryByRole('button', { name: 'Approve' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Request changes' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Merge' })).toBeNull();
    expect(screen.getByText(/You are a viewer of acme\/shop/)).toBeInTheDocument();
  });

  it('names what failed when the pull request is not found', async () => {
    fakeFetch({ '/api/session': { body: session } });
    renderApp('/pulls/acme/shop/99');
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Loading this pull request failed');
    expect(alert).toHaveTextContent('Check the link');
  });

  it('has no serious or critical accessibility violations', async () => {
    serve(pull());
    const { container } = renderApp('/pulls/acme/shop/4');
    await screen.findByRole('region', { name: 'Changes to coupons.ts' });
    const result = await axe.run(container);
    const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(bad.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
  });
});
