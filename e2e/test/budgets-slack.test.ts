import { randomUUID } from 'node:crypto';
import { parseConfig } from '@horizon/config';
import { identityLink, SLACK_BUDGET_ACTIONS } from '@horizon/contracts';
import { BUDGET_MODAL_BLOCKS } from '@horizon/integrations-slack';
import { IdentityBrokerModule, identityBrokerConfigShape } from '@horizon/identity-broker';
import { NotifierModule, notifierConfigShape } from '@horizon/notifier';
import { RpcClient } from '@horizon/messaging';
import { startSlackStandin, until, type SlackStandin } from '@horizon/testing';
import { BudgetStack } from './support/budget-stack';
import { SlackWorkspace, type PostedMessage } from './support/slack-workspace';

// The budget question where the work came from: a Slack mention's run is held at its budget,
// the notifier asks in the thread with Continue, Continue with… and Stop buttons (the Slack
// stand-in, through the real @slack/web-api client), and a press comes back as a Slack-signed
// block_actions interaction to ingress: someone else's press changes nothing, the owner's
// Continue lets the run go on to its end. Continue with… opens a modal (views.open with the
// press's trigger id) whose view_submission grants the amount typed, or is answered in the modal.
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
  /** Two mentions made at once, so the suite waits for their runs' holds side by side. */
  let buttonMention: Promise<PostedMessage>;
  let modalMention: Promise<PostedMessage>;

  beforeAll(async () => {
    slack = await startSlackStandin({ teamId: TEAM });
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
    slack.connectApp({
      requestUrl: `${stack.ingressUrl}/webhooks/slack/interactions`,
      signingSecret: SIGNING_SECRET,
    });
    buttonMention = workspace.mention(CHANNEL, owner, '[slack] Make the greeting name Horizon.');
    modalMention = workspace.mention(CHANNEL, owner, '[slack] Make the greeting name Horizon, by the modal.');
    await Promise.all([buttonMention, modalMention]);
  });
  afterAll(async () => {
    await stack?.close();
    await slack?.close();
  });

  /** The budget question in a mention's thread, once its run is held: its message, buttons and item. */
  const question = async (mention: PostedMessage) => {
    const posted = await until(
      async () =>
        slack.calls.find(
          (c) => c.method === 'chat.postMessage' && c.args.thread_ts === mention.ts && c.args.blocks,
        ),
      'the budget question in the thread',
      60_000,
    );
    const blocks = JSON.parse(String(posted.args.blocks)) as {
      type: string;
      elements?: { action_id: string; value: string; text: { text: string } }[];
    }[];
    const buttons = blocks.find((b) => b.type === 'actions')!.elements!;
    const { workItemId } = JSON.parse(buttons[0]!.value) as { workItemId: string };
    const ts = slack.thread(CHANNEL, mention.ts).find((m) => m.text.includes('Budget reached'))!.ts;
    return { ts, buttons, workItemId, waiting: await stack.untilState(workItemId, 'waiting') };
  };

  /** A press Slack delivers to ingress, which must answer it 200 at once. */
  const press = async (user: string, messageTs: string, actionId: string) => {
    expect((await slack.press(user, CHANNEL, messageTs, actionId)).status).toBe(200);
  };

  it("holds the mention's run, asks in its thread with buttons, and the owner's Continue lets it finish", async () => {
    const { ts: questionTs, buttons, workItemId, waiting } = await question(await buttonMention);
    expect(buttons.map((b) => [b.action_id, b.text.text])).toEqual([
      [SLACK_BUDGET_ACTIONS.continue, 'Continue (+$1.5)'],
      [SLACK_BUDGET_ACTIONS.continueWith, 'Continue with…'],
      [SLACK_BUDGET_ACTIONS.stop, 'Stop'],
    ]);
    expect(waiting.waiting?.reason).toMatch(/^run limit of 650 tokens: /);

    await press(bystander, questionTs, SLACK_BUDGET_ACTIONS.continue);
    await until(
      async () =>
        (await stack.detail(workItemId)).timeline.find((e) =>
          e.cause.startsWith("budget answer (continue) refused: only the item's owner may answer"),
        ),
      "the bystander's press to be refused",
    );
    expect((await stack.item(workItemId)).state).toBe('waiting');

    await press(owner, questionTs, SLACK_BUDGET_ACTIONS.continue);
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
  });

  it('grants the amount typed in the Continue with… modal, and answers in the modal what it refuses', async () => {
    const { ts: questionTs, workItemId } = await question(await modalMention);
    const { usd, tokens } = BUDGET_MODAL_BLOCKS;
    const opened = async (user: string) => {
      const before = slack.views.length;
      await press(user, questionTs, SLACK_BUDGET_ACTIONS.continueWith);
      expect(slack.views).toHaveLength(before + 1);
      return slack.views.at(-1)!;
    };

    // Someone else is shown why not, in a modal with nothing to submit.
    const refusal = await opened(bystander);
    expect(refusal).toMatchObject({ user: bystander, closed: true });
    expect(JSON.stringify(refusal.view.blocks)).toContain(
      `You cannot answer this: only the item's owner may answer, and slack:${bystander} is not them.`,
    );

    // The owner opens the form twice: the second is left open until the run has ended.
    const form = await opened(owner);
    const stale = await opened(owner);
    expect(JSON.parse(String(form.view.private_metadata))).toMatchObject({ workItemId });
    expect(await slack.submit(form.view.id, { [usd]: '2500' })).toEqual({
      outcome: 'errors',
      errors: { [usd]: 'At most 1,000 dollars in one answer.' },
    });
    expect((await stack.item(workItemId)).state).toBe('waiting');
    expect(await slack.submit(form.view.id, { [usd]: '2.75', [tokens]: '40000' })).toEqual({
      outcome: 'closed',
    });
    const done = await until(
      async () => (await stack.detail(workItemId)).runs.find((r) => r.outcome === 'succeeded'),
      'the run to finish',
      60_000,
    );
    expect(done.outcome).toBe('succeeded');
    expect((await stack.detail(workItemId)).timeline.map((e) => e.cause)).toContainEqual(
      `slack:${owner} let the run go on with $2.75 and 40,000 tokens more`,
    );

    const late = await slack.submit(stale.view.id, { [usd]: '1' });
    expect(late).toEqual({
      outcome: 'errors',
      errors: { [usd]: expect.stringMatching(/^Not applied: the item is \w+, not waiting at a budget\.$/) },
    });
    // Usage by person names them, from identity-broker: both of Ada's runs.
    const usage = await stack.cli('usage', '--by', 'person', '--since', '1d');
    expect(usage).toMatchObject({ code: 0, stderr: '' });
    expect(usage.stdout).toMatch(/^Ada\s+2\s+/m);
  });
});
