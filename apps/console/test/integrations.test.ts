import {
  freePort,
  startGitHubStandIn,
  startSlackStandin,
  type GitHubStandIn,
  type ServiceProcess,
  type SlackStandin,
} from '@horizon/testing';
import type { IntegrationsView } from '../src/shared/console-api';
import { ConsoleUnderTest, type Browser } from './support/console-under-test';

/**
 * Settings' integrations over real HTTP: the real notifier (its own process) checks the ones it
 * owns — Slack against the Slack stand-in, the local forge at an address nothing listens on,
 * Linear left unconfigured — and so does the real identity-broker for the GitHub App, against
 * the GitHub stand-in; the console only relays what the owners say.
 */
describe('console integrations status', () => {
  let hzn: ConsoleUnderTest;
  let notifier: ServiceProcess;
  let slack: SlackStandin;
  let github: GitHubStandIn;
  let admin: Browser;
  let deadForge: string;

  const status = async () => {
    const res = await hzn.request('/api/admin/integrations', { browser: admin });
    expect(res.status).toBe(200);
    return (await res.json()) as IntegrationsView;
  };

  beforeAll(async () => {
    [slack, github] = await Promise.all([startSlackStandin(), startGitHubStandIn()]);
    hzn = await ConsoleUnderTest.start();
    await hzn.startPeer('identity-broker', {
      GITHUB_API_URL: github.url,
      GITHUB_APP_ID: String(github.app.id),
      GITHUB_APP_PRIVATE_KEY: github.app.privateKey.replace(/\n/g, '\\n'),
    });
    deadForge = `http://127.0.0.1:${await freePort()}`;
    notifier = await hzn.startPeer('notifier', {
      SLACK_BOT_TOKEN: slack.token,
      SLACK_API_URL: slack.url,
      FORGE_URL: deadForge,
      FORGE_TOKEN: 'forge-token-for-the-test',
    });
    admin = await hzn.signIn('ada');
  }, 120_000);
  afterAll(async () => {
    await hzn?.stop();
    await Promise.all([slack?.close(), github?.close()]);
  });

  it("relays each owner's check: answering, configured but not answering, not configured", async () => {
    const view = await status();
    const check = (name: string) => view.checks.find((c) => c.integration === name);
    expect(check('slack')).toMatchObject({
      service: 'notifier',
      configured: true,
      settings: ['SLACK_BOT_TOKEN'],
      answering: true,
      detail: expect.stringContaining('signed in as'),
      latencyMs: expect.any(Number),
    });
    expect(slack.calls.map((c) => c.method)).toContain('auth.test');
    expect(check('forge')).toMatchObject({ configured: true, answering: false });
    expect(check('forge')!.detail).toContain(new URL(deadForge).origin);
    expect(check('linear')).toMatchObject({
      configured: false,
      settings: ['LINEAR_ACCESS_TOKEN'],
      answering: null,
      detail: expect.stringMatching(/set LINEAR_ACCESS_TOKEN for the notifier/),
    });
    expect(check('github')).toMatchObject({
      service: 'identity-broker',
      configured: true,
      answering: true,
      detail: expect.stringContaining(`GitHub App ${github.app.slug} answering`),
    });
    expect(github.model.requests).toContainEqual(expect.objectContaining({ path: '/app', auth: 'app' }));
    // What the owners do not report is said, not guessed: sandbox-manager (the model provider's
    // owner) is not running in this test.
    expect(view.unreported.map((u) => [u.integration, u.service, u.detail])).toEqual([
      ['model', 'sandbox-manager', expect.stringMatching(/the sandbox-manager did not answer in 5 s/)],
    ]);
    expect(JSON.stringify(view)).not.toContain(slack.token);
    expect(JSON.stringify(view)).not.toContain('forge-token-for-the-test');
    expect(JSON.stringify(view)).not.toContain('PRIVATE KEY');
  });

  it('says which service did not answer, and refuses non-admins', async () => {
    const member = await hzn.signIn('grace', 'member', '*');
    expect((await hzn.request('/api/admin/integrations', { browser: member })).status).toBe(403);
    await notifier.stop();
    try {
      const view = await status();
      expect(view.checks.map((c) => c.integration)).toEqual(['github']);
      expect(view.unreported.find((u) => u.integration === 'slack')).toMatchObject({
        service: 'notifier',
        detail: expect.stringMatching(/the notifier did not answer/),
      });
    } finally {
      await notifier.start();
    }
  }, 30_000);
});
