import { freePort, startSlackStandin, type ServiceProcess, type SlackStandin } from '@horizon/testing';
import type { IntegrationsView } from '../src/shared/console-api';
import { ConsoleUnderTest, type Browser } from './support/console-under-test';

/**
 * Settings' integrations over real HTTP: the real notifier (its own process) checks the ones it
 * owns — Slack against the Slack stand-in, the local forge at an address nothing listens on,
 * Linear left unconfigured — and the console only relays what the owners say.
 */
describe('console integrations status', () => {
  let hzn: ConsoleUnderTest;
  let notifier: ServiceProcess;
  let slack: SlackStandin;
  let admin: Browser;
  let deadForge: string;

  const status = async () => {
    const res = await hzn.request('/api/admin/integrations', { browser: admin });
    expect(res.status).toBe(200);
    return (await res.json()) as IntegrationsView;
  };

  beforeAll(async () => {
    slack = await startSlackStandin();
    hzn = await ConsoleUnderTest.start();
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
    await slack?.close();
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
    // What the owners do not report yet is said, not guessed.
    expect(view.unreported.map((u) => [u.integration, u.service])).toEqual([
      ['github', 'identity-broker'],
      ['model', 'sandbox-manager'],
    ]);
    expect(JSON.stringify(view)).not.toContain(slack.token);
    expect(JSON.stringify(view)).not.toContain('forge-token-for-the-test');
  });

  it('says which service did not answer, and refuses non-admins', async () => {
    const member = await hzn.signIn('grace', 'member', '*');
    expect((await hzn.request('/api/admin/integrations', { browser: member })).status).toBe(403);
    await notifier.stop();
    try {
      const view = await status();
      expect(view.checks).toEqual([]);
      expect(view.unreported.find((u) => u.integration === 'slack')).toMatchObject({
        service: 'notifier',
        detail: expect.stringMatching(/the notifier did not answer/),
      });
    } finally {
      await notifier.start();
    }
  }, 30_000);
});
