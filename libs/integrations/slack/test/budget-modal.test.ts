import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SLACK_BUDGET_ACTIONS, type BudgetHold } from '@horizon/contracts';
import {
  BUDGET_MODAL_BLOCKS,
  budgetModalView,
  createSlackChat,
  createSlackViews,
  parseSlackBody,
  readSlackBudgetInteraction,
  slackWebhookVerifier,
  type SlackBudgetInteraction,
} from '@horizon/integrations-slack';
import { SlackStandin, startSlackStandin } from '@horizon/testing';

// The Continue with… modal between the real @slack/web-api and the Slack stand-in: views.open
// with a press's trigger id, and its submissions read back by a small app that answers the
// way ingress does (errors in the modal, or an empty 200 that closes it).
const SECRET = `secret-${randomUUID()}`;
const hold: BudgetHold = {
  workItemId: randomUUID(),
  since: '2026-12-05T09:00:00.000Z',
  kind: 'run',
  reason: 'run limit of 650 tokens: 660 spent',
  answerBy: '2026-12-06T09:00:00.000Z',
};

describe('the budget modal (real @slack/web-api against the Slack stand-in)', () => {
  let slack: SlackStandin;
  let app: Server;
  const seen: SlackBudgetInteraction[] = [];

  beforeAll(async () => {
    slack = await startSlackStandin();
    const verifier = slackWebhookVerifier(SECRET);
    app = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks);
        void verifier.verify(raw, req.headers).then((verified) => {
          if (!verified.ok) return res.writeHead(401).end();
          const read = readSlackBudgetInteraction(parseSlackBody(raw, req.headers), new Date());
          if (read) seen.push(read);
          if (read?.kind !== 'invalid') return res.writeHead(200).end();
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ response_action: 'errors', errors: read.errors }));
        });
      });
    });
    await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
    slack.connectApp({
      requestUrl: `http://127.0.0.1:${(app.address() as AddressInfo).port}/`,
      signingSecret: SECRET,
    });
  });
  afterAll(async () => {
    await slack.close();
    await new Promise((resolve) => app.close(resolve));
  });

  /** The owner presses Continue with… on a question the bot posted; the app reads the press. */
  async function press(user: string) {
    const channel = slack.addChannel();
    const chat = createSlackChat({ token: slack.token, slackApiUrl: slack.url });
    const value = JSON.stringify({ workItemId: hold.workItemId });
    const { ts } = await chat.post({
      channel,
      text: 'Budget reached',
      buttons: [{ actionId: SLACK_BUDGET_ACTIONS.continueWith, label: 'Continue with…', value }],
    });
    const answer = await slack.press(user, channel, ts, SLACK_BUDGET_ACTIONS.continueWith);
    expect(answer.status).toBe(200);
    return seen.at(-1)!;
  }

  it("opens the form with the press's trigger id, and reads what the owner typed", async () => {
    const owner = slack.addUser();
    const read = await press(owner);
    expect(read).toMatchObject({ kind: 'open', workItemId: hold.workItemId, user: owner });
    const views = createSlackViews({ token: slack.token, slackApiUrl: slack.url });
    const { viewId } = await views.open(
      (read as { triggerId: string }).triggerId,
      budgetModalView({ kind: 'ask', hold }),
    );
    expect(slack.views.at(-1)).toMatchObject({ user: owner, closed: false, view: { id: viewId } });

    expect(
      await slack.submit(viewId, {
        [BUDGET_MODAL_BLOCKS.usd]: '2.75',
        [BUDGET_MODAL_BLOCKS.tokens]: '40000',
      }),
    ).toEqual({
      outcome: 'closed',
    });
    expect(seen.at(-1)).toMatchObject({
      kind: 'submit',
      deliveryId: viewId,
      workItemId: hold.workItemId,
      since: hold.since,
      user: owner,
      answer: {
        data: {
          action: 'continue',
          extra: { costUsd: 2.75, tokens: 40_000, minutes: null },
          holdSince: hold.since,
          delivery: { event: 'view_submission', deliveryId: viewId },
        },
      },
    });
    await expect(slack.submit(viewId, { [BUDGET_MODAL_BLOCKS.usd]: '1' })).rejects.toThrow(/closed/);
  });

  it('answers amounts out of bounds with errors under their inputs, the modal left open', async () => {
    const read = await press(slack.addUser());
    const views = createSlackViews({ token: slack.token, slackApiUrl: slack.url });
    const { viewId } = await views.open(
      (read as { triggerId: string }).triggerId,
      budgetModalView({ kind: 'ask', hold }),
    );
    const { usd, tokens, minutes } = BUDGET_MODAL_BLOCKS;
    expect(await slack.submit(viewId, { [usd]: '0', [tokens]: '20000000', [minutes]: '-5' })).toEqual({
      outcome: 'errors',
      errors: {
        [usd]: 'Enter more than 0 dollars.',
        [tokens]: 'At most 10,000,000 tokens in one answer.',
        [minutes]: 'Enter more than 0 minutes.',
      },
    });
    expect(await slack.submit(viewId, { [usd]: '2.755' })).toEqual({
      outcome: 'errors',
      errors: { [usd]: 'Enter dollars as a number with at most two decimals, like 2.50.' },
    });
    // What Slack's own client refuses never reaches the app.
    await expect(slack.submit(viewId, { [tokens]: '5' })).rejects.toThrow(/asks for/);
    await expect(slack.submit(viewId, { [usd]: '1', [tokens]: '1.5' })).rejects.toThrow(/number input/);
    expect(slack.views.at(-1)!.closed).toBe(false);
  });

  it('stand-in: refuses unknown, spent and expired trigger ids and a view Slack would not show', async () => {
    const views = createSlackViews({ token: slack.token, slackApiUrl: slack.url });
    const form = budgetModalView({ kind: 'ask', hold });
    await expect(views.open('1.2.nope', form)).rejects.toMatchObject({ code: 'invalid_trigger_id' });
    const trigger = slack.issueTrigger(slack.addUser());
    await views.open(trigger, budgetModalView({ kind: 'refused', reason: 'not yours' }));
    await expect(views.open(trigger, form)).rejects.toMatchObject({ code: 'exchanged_trigger_id' });
    await expect(
      views.open(slack.issueTrigger(slack.addUser()), {
        ...form,
        title: { type: 'plain_text', text: 'x'.repeat(25) },
      }),
    ).rejects.toMatchObject({ code: 'invalid_arguments' });
    await expect(
      views.open(slack.issueTrigger(slack.addUser()), { ...form, submit: undefined }),
    ).rejects.toMatchObject({ code: 'invalid_arguments' });

    const quick = await startSlackStandin({ triggerTtlMs: 1 });
    try {
      const late = quick.issueTrigger(quick.addUser());
      await new Promise((resolve) => setTimeout(resolve, 10));
      await expect(
        createSlackViews({ token: quick.token, slackApiUrl: quick.url }).open(late, form),
      ).rejects.toMatchObject({ code: 'expired_trigger_id', permanent: true });
    } finally {
      await quick.close();
    }
  });
});
