import { randomUUID } from 'node:crypto';
import { parseConfig } from '@horizon/config';
import { identityLink, SLACK_BUDGET_ACTIONS } from '@horizon/contracts';
import { IdentityBrokerModule, identityBrokerConfigShape } from '@horizon/identity-broker';
import { NotifierModule, notifierConfigShape } from '@horizon/notifier';
import { RpcClient } from '@horizon/messaging';
import {
  slackFixture,
  slackInteraction,
  startSlackStandin,
  until,
  type SlackStandin,
} from '@horizon/testing';
import { BudgetStack } from './support/budget-stack';
import { SlackWorkspace } from './support/slack-workspace';

// The budget question where the work came from: a Slack mention's run is held at its budget,
// the notifier asks in the thread with Continue and Stop buttons (the Slack stand-in, through the
// real @slack/web-api client), and the button's own value comes back as a Slack-signed
// block_actions interaction to ingress: someone else's press changes nothing, the owner's
// Continue lets the run go on to its end.
jest.setTimeout(90_000);

const SIGNING_SECRET = `slack-secret-${randomUUID()}`;
const TEAM = 'T0HORIZON';
const BOT = 'U0HORIZONBOT';
const CHANNEL = 'C0APP';

describe('a budget answered with a Slack button', () => {
  let slack: SlackStandin;
  let stack: BudgetStack;
  let workspace: SlackWorkspace;
  let owner: string;
  let bystander: string;

  beforeAll(async () => {
    slack = await startSlackStandin();
    slack.addChannel(CHANNEL);
    owner = slack.addUser();
    bystander = slack.addUser();
    stack = await BudgetStack.start({
      name: 'budgets-slack',
      repos: { app: '' },
      tags: ['slack'],
      orchestrator: {
        SLACK_BOT_USER_ID: BOT,
        SLACK_CHANNEL_REPOS: JSON.stringify({ [CHANNEL]: 'acme/app' }),
      },
      ingress: { SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_BOT_USER_ID: BOT },
      before: async (services) => {
        await services.boot('identity-broker', (port, env) =>
          IdentityBrokerModule.register(
            parseConfig(identityBrokerConfigShape, { ...env, IDENTITY_BROKER_PORT: port }),
          ),
        );
        await services.boot('notifier', (port, env) =>
          NotifierModule.register(
            parseConfig(notifierConfigShape, {
              ...env,
              NOTIFIER_PORT: port,
              SLACK_BOT_TOKEN: slack.token,
              SLACK_API_URL: slack.url,
              BUDGET_CONTINUE_EXTRA_USD: '1.5',
              BUDGET_CONTINUE_EXTRA_TOKENS: '50000',
            }),
          ),
        );
        const rpc = new RpcClient(services.conn, 'budgets-slack-links');
        await rpc.call(identityLink, { displayName: 'Ada', provider: 'slack', externalId: owner });
      },
    });
    workspace = new SlackWorkspace(slack, {
      ingressUrl: stack.ingressUrl,
      signingSecret: SIGNING_SECRET,
      teamId: TEAM,
      botUserId: BOT,
    });
  });
  afterAll(async () => {
    await stack?.close();
    await slack?.close();
  });

  /** The press Slack sends for a button of the bot's message: a signed block_actions interaction. */
  const press = async (user: string, button: { action_id: string; value: string }, messageTs: string) => {
    const payload = {
      ...slackFixture('block-actions'),
      team: { id: TEAM, domain: 'horizon' },
      user: { id: user, username: user, team_id: TEAM },
      container: { type: 'message', message_ts: messageTs, channel_id: CHANNEL, is_ephemeral: false },
      channel: { id: CHANNEL, name: 'app' },
      trigger_id: `${Date.now()}.${randomUUID()}`,
      actions: [{ ...button, block_id: 'budget', type: 'button', action_ts: `${Date.now() / 1000}` }],
    };
    const signed = slackInteraction(payload, SIGNING_SECRET);
    const res = await fetch(`${stack.ingressUrl}/webhooks/slack/interactions`, {
      method: 'POST',
      headers: signed.headers,
      body: signed.rawBody,
    });
    expect(res.status).toBe(200);
  };

  it("holds the mention's run, asks in its thread with buttons, and the owner's Continue lets it finish", async () => {
    const mention = await workspace.mention(CHANNEL, owner, '[slack] Make the greeting name Horizon.');
    // The question, with the buttons the notifier gave it.
    const question = await until(
      async () =>
        slack.calls.find(
          (c) => c.method === 'chat.postMessage' && c.args.thread_ts === mention.ts && c.args.blocks,
        ),
      'the budget question in the thread',
      60_000,
    );
    const blocks = JSON.parse(String(question.args.blocks)) as {
      type: string;
      elements?: { action_id: string; value: string; text: { text: string } }[];
    }[];
    const buttons = blocks.find((b) => b.type === 'actions')!.elements!;
    expect(buttons.map((b) => [b.action_id, b.text.text])).toEqual([
      [SLACK_BUDGET_ACTIONS.continue, 'Continue (+$1.5)'],
      [SLACK_BUDGET_ACTIONS.stop, 'Stop'],
    ]);
    const { workItemId } = JSON.parse(buttons[0]!.value) as { workItemId: string };
    const waiting = await stack.untilState(workItemId, 'waiting');
    expect(waiting.waiting?.reason).toMatch(/^run limit of 650 tokens: /);
    const questionTs = slack.thread(CHANNEL, mention.ts).find((m) => m.text.includes('Budget reached'))!.ts;

    await press(bystander, buttons[0]!, questionTs);
    await until(
      async () =>
        (await stack.detail(workItemId)).timeline.find((e) =>
          e.cause.startsWith("budget answer (continue) refused: only the item's owner may answer"),
        ),
      "the bystander's press to be refused",
    );
    expect((await stack.item(workItemId)).state).toBe('waiting');

    await press(owner, buttons[0]!, questionTs);
    const done = await until(
      async () => (await stack.detail(workItemId)).runs.find((r) => r.outcome === 'succeeded'),
      'the run to finish',
      60_000,
    );
    expect(done.outcome).toBe('succeeded');
    expect(stack.model.failures).toEqual([]);
    expect((await stack.detail(workItemId)).timeline.map((e) => e.cause)).toContainEqual(
      `slack:${owner} let the run go on with $1.50 and 50,000 tokens and 15 minutes more`,
    );
    // Usage by person names them, from identity-broker.
    const usage = await stack.cli('usage', '--by', 'person', '--since', '1d');
    expect(usage).toMatchObject({ code: 0, stderr: '' });
    expect(usage.stdout).toMatch(/^Ada\s+1\s+/m);
  });
});
