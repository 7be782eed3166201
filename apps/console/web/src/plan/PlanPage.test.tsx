import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import axe from 'axe-core';
import { beforeEach, describe, expect, it } from 'vitest';
import type { PlanConflict, PlanDraftView, PlanItemView } from '../../../src/shared/console-api';
import { session, uuid } from '../testing/fixtures';
import { FakeEventSource, fakeFetch } from '../testing/network';
import { renderApp } from '../testing/renderApp';

const model: PlanItemView = {
  id: uuid(),
  title: 'Coupon model',
  description: 'Store coupons',
  acceptanceCriteria: 'A code is unique\nIt expires',
  blockedBy: [],
};
const api: PlanItemView = {
  ...model,
  id: uuid(),
  title: 'Coupon API',
  acceptanceCriteria: '',
  blockedBy: [model.id],
};
const draft: PlanDraftView = {
  id: uuid(),
  repo: 'demo/cart',
  title: 'Ship coupons',
  brief: 'Customers want discounts.',
  status: 'draft',
  version: 4,
  items: [model, api],
  createdBy: 'Ada Lovelace',
  updatedBy: 'Ada Lovelace',
  createdAt: '2026-12-01T09:00:00.000Z',
  updatedAt: '2026-12-01T10:00:00.000Z',
  startedAt: null,
  planning: null,
};
const path = `/api/plans/${draft.id}`;

function serve(routes: Parameters<typeof fakeFetch>[0] = {}) {
  return fakeFetch({
    '/api/session': { body: session },
    [path]: { body: draft },
    [`${path}/presence`]: { status: 204, body: null },
    ...routes,
  });
}

beforeEach(() => FakeEventSource.install());

describe('plan page', () => {
  it('shows the brief, the items with their criteria and blockers, and the dependencies', async () => {
    serve();
    renderApp(`/plans/${draft.id}`);
    expect(await screen.findByRole('heading', { level: 1, name: 'Ship coupons' })).toBeInTheDocument();
    expect(screen.getByText('Customers want discounts.')).toBeInTheDocument();
    const card = screen.getByRole('listitem', { name: 'Coupon API' });
    expect(card).toHaveTextContent('Blocked by Coupon model');
    expect(
      within(screen.getByRole('list', { name: 'Acceptance criteria' })).getAllByRole('listitem'),
    ).toHaveLength(2);
    expect(
      within(screen.getByRole('list', { name: 'Dependencies' })).getByRole('listitem'),
    ).toHaveTextContent('Coupon model → Coupon API');
  });

  it('says who is here and marks the item someone edits; sends heartbeats with the item this person edits', async () => {
    const fetch = serve();
    renderApp(`/plans/${draft.id}`);
    await screen.findByRole('heading', { level: 1, name: 'Ship coupons' });
    await FakeEventSource.opened();
    expect(FakeEventSource.last.url).toBe(`${path}/live`);
    act(() =>
      FakeEventSource.last.send('presence', {
        type: 'presence',
        people: [
          { personId: session.person.id, name: session.person.name, editingItemId: null },
          { personId: 'p2', name: 'Grace Hopper', editingItemId: api.id },
        ],
      }),
    );
    const bar = screen.getByRole('region', { name: 'Who is here' });
    expect(within(bar).getByText('GH')).toBeInTheDocument();
    expect(bar).toHaveTextContent('Grace Hopper, editing “Coupon API”');
    expect(bar).not.toHaveTextContent('Ada');
    expect(screen.getByRole('listitem', { name: 'Coupon API' })).toHaveTextContent(
      'Grace Hopper is editing this',
    );

    await userEvent.click(screen.getByRole('button', { name: 'Edit “Coupon model”' }));
    await waitFor(() =>
      expect(
        fetch.mock.calls.some(
          ([url, init]) =>
            String(url) === `${path}/presence` &&
            init?.body === JSON.stringify({ editingItemId: model.id }) &&
            (init.headers as Record<string, string>)['x-csrf-token'] === 'csrf-123',
        ),
      ).toBe(true),
    );
  });

  it('saves an edit on the version on screen; a 409 shows who changed it and the current version', async () => {
    const current: PlanDraftView = {
      ...draft,
      version: 5,
      updatedBy: 'Grace Hopper',
      title: 'Ship coupons fast',
    };
    const fetch = serve({
      [path]: (_url, init) =>
        init?.method === 'PATCH'
          ? {
              status: 409,
              body: {
                statusCode: 409,
                error: 'Conflict',
                message: 'Grace Hopper changed this plan meanwhile',
                current,
              } satisfies PlanConflict,
            }
          : { body: draft },
    });
    renderApp(`/plans/${draft.id}`);
    await userEvent.click(await screen.findByRole('button', { name: 'Edit title and brief' }));
    const title = screen.getByLabelText('Title');
    await userEvent.clear(title);
    await userEvent.type(title, 'Coupons');
    await userEvent.click(screen.getByRole('button', { name: 'Save title and brief' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Grace Hopper changed this meanwhile — your edit was not saved; here is the current version.',
    );
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('Ship coupons fast');
    const patch = fetch.mock.calls.find(([, init]) => init?.method === 'PATCH')!;
    expect(JSON.parse(String(patch[1]!.body))).toEqual({
      kind: 'details',
      title: 'Coupons',
      brief: draft.brief,
      version: 4,
    });
  });

  it('reads the draft again when someone else saves a newer version', async () => {
    let served = draft;
    serve({ [path]: () => ({ body: served }) });
    renderApp(`/plans/${draft.id}`);
    await screen.findByRole('heading', { level: 1, name: 'Ship coupons' });
    served = { ...draft, version: 5, items: [model] };
    await FakeEventSource.opened();
    act(() => FakeEventSource.last.send('changed', { type: 'changed', version: 5, by: 'Grace Hopper' }));
    await waitFor(() =>
      expect(screen.queryByRole('listitem', { name: 'Coupon API' })).not.toBeInTheDocument(),
    );
  });

  it('starts after a confirmation and links to the graph of the new work items', async () => {
    const fetch = serve({
      [`${path}/start`]: {
        body: { draft: { ...draft, status: 'started', version: 5 }, workItemIds: [model.id, api.id] },
      },
    });
    renderApp(`/plans/${draft.id}`);
    await userEvent.click(await screen.findByRole('button', { name: 'Start' }));
    expect(screen.getByRole('group', { name: 'Confirm start' })).toHaveTextContent(
      'Create 2 work items in demo/cart?',
    );
    await userEvent.click(screen.getByRole('button', { name: 'Yes, start' }));
    const link = await screen.findByRole('link', { name: 'See them in the graph' });
    expect(link).toHaveAttribute('href', '/graph?repo=demo%2Fcart');
    expect(screen.getByText(/2 work items were requested/)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /Edit/ })).not.toBeInTheDocument();
    const start = fetch.mock.calls.find(([url]) => String(url) === `${path}/start`)!;
    // The repository's harness unless the person picks one.
    expect(JSON.parse(String(start[1]!.body))).toEqual({ version: 4 });
  });

  it('sends the harness the person picks for the items’ runs', async () => {
    const fetch = serve({
      [`${path}/start`]: {
        body: { draft: { ...draft, status: 'started', version: 5 }, workItemIds: [model.id, api.id] },
      },
    });
    renderApp(`/plans/${draft.id}`);
    await userEvent.click(await screen.findByRole('button', { name: 'Start' }));
    const harness = screen.getByRole('combobox', { name: 'Harness' });
    expect(harness).toHaveDisplayValue('repository default');
    expect(
      within(harness)
        .getAllByRole('option')
        .map((o) => o.textContent),
    ).toEqual(['repository default', 'opencode', 'codex', 'claude-code']);
    await userEvent.selectOptions(harness, 'codex');
    await userEvent.click(screen.getByRole('button', { name: 'Yes, start' }));
    await screen.findByRole('link', { name: 'See them in the graph' });
    const start = fetch.mock.calls.find(([url]) => String(url) === `${path}/start`)!;
    expect(JSON.parse(String(start[1]!.body))).toEqual({ version: 4, harness: 'codex' });
  });

  describe('the PM agent', () => {
    const planItemId = uuid();

    it('asks before replacing the items, sends the version on screen, then says it is planning with a link to its run', async () => {
      const planning: PlanDraftView = {
        ...draft,
        version: 5,
        planning: { workItemId: planItemId, state: 'planning', error: null },
      };
      const fetch = serve({ [`${path}/pm-agent`]: { status: 202, body: planning } });
      renderApp(`/plans/${draft.id}`);
      expect(await screen.findByText(/its proposal replaces the items below/)).toBeInTheDocument();
      await userEvent.click(screen.getByRole('button', { name: 'Run the PM agent' }));
      expect(screen.getByRole('group', { name: 'Confirm the PM agent' })).toHaveTextContent(
        'Its proposal will replace the 2 items below. Run the PM agent?',
      );
      expect(fetch.mock.calls.some(([url]) => String(url) === `${path}/pm-agent`)).toBe(false);
      await userEvent.click(screen.getByRole('button', { name: 'Yes, replace them' }));

      expect(await screen.findByRole('status')).toHaveTextContent('PM agent is planning…');
      expect(screen.getByRole('link', { name: 'its run' })).toHaveAttribute('href', `/work/${planItemId}`);
      expect(screen.queryByRole('button', { name: /Run the PM agent/ })).not.toBeInTheDocument();
      expect(screen.getByRole('button', { name: 'Start' })).toBeDisabled();
      const sent = fetch.mock.calls.find(([url]) => String(url) === `${path}/pm-agent`)!;
      expect(sent[1]!.method).toBe('POST');
      expect(JSON.parse(String(sent[1]!.body))).toEqual({ version: 4 });
    });

    it('runs at once on a draft without items', async () => {
      const fetch = serve({
        [path]: { body: { ...draft, items: [] } },
        [`${path}/pm-agent`]: {
          status: 202,
          body: {
            ...draft,
            version: 5,
            items: [],
            planning: { workItemId: planItemId, state: 'planning', error: null },
          },
        },
      });
      renderApp(`/plans/${draft.id}`);
      await userEvent.click(await screen.findByRole('button', { name: 'Run the PM agent' }));
      expect(await screen.findByRole('status')).toHaveTextContent('PM agent is planning…');
      expect(fetch.mock.calls.filter(([url]) => String(url) === `${path}/pm-agent`)).toHaveLength(1);
    });

    it('is disabled until the draft has a brief, saying why', async () => {
      serve({ [path]: { body: { ...draft, brief: '' } } });
      renderApp(`/plans/${draft.id}`);
      const button = await screen.findByRole('button', { name: 'Run the PM agent' });
      expect(button).toBeDisabled();
      expect(button).toHaveAccessibleDescription('Write a brief first: the PM agent plans from it.');
    });

    it('shows a proposal to review, and why a run gave none', async () => {
      let served: PlanDraftView = {
        ...draft,
        updatedBy: 'PM agent',
        planning: { workItemId: planItemId, state: 'proposed', error: null },
      };
      serve({ [path]: () => ({ body: served }) });
      const { container } = renderApp(`/plans/${draft.id}`);
      expect(await screen.findByText(/are the PM agent’s proposal/)).toHaveTextContent(
        'Review their titles, criteria and dependencies',
      );
      expect(screen.getByRole('button', { name: 'Run the PM agent again' })).toBeEnabled();

      served = {
        ...draft,
        version: 6,
        planning: { workItemId: planItemId, state: 'failed', error: "the PM agent's run failed: timed out" },
      };
      await FakeEventSource.opened();
      act(() => FakeEventSource.last.send('changed', { type: 'changed', version: 6, by: 'PM agent' }));
      expect(await screen.findByRole('alert')).toHaveTextContent(
        "The PM agent gave no proposal: the PM agent's run failed: timed out.",
      );
      expect(within(screen.getByRole('alert')).getByRole('link', { name: 'its run' })).toHaveAttribute(
        'href',
        `/work/${planItemId}`,
      );
      const result = await axe.run(container);
      const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      expect(bad.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
    });

    it('is not offered on a started plan', async () => {
      serve({ [path]: { body: { ...draft, status: 'started', startedAt: draft.updatedAt } } });
      renderApp(`/plans/${draft.id}`);
      await screen.findByRole('heading', { level: 1, name: 'Ship coupons' });
      expect(screen.queryByRole('button', { name: /PM agent/ })).not.toBeInTheDocument();
    });
  });

  it('has no serious or critical accessibility violations', async () => {
    serve();
    const { container } = renderApp(`/plans/${draft.id}`);
    await screen.findByRole('heading', { level: 1, name: 'Ship coupons' });
    await userEvent.click(screen.getByRole('button', { name: 'Edit “Coupon API”' }));
    const result = await axe.run(container);
    const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(bad.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
  });
});
