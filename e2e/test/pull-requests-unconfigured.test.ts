import { randomUUID } from 'node:crypto';
import { parseConfig } from '@horizon/config';
import { envelopeFor, forgeOpenPullRequest } from '@horizon/contracts';
import {
  IdentityBrokerModule,
  identityBrokerConfigShape as brokerConfigShape,
} from '@horizon/identity-broker';
import { HEADER, JetStreamConnection, Publisher } from '@horizon/messaging';
import { GitHubStandIn, startGitHubStandIn, deadLetterOf } from '@horizon/testing';
import { NotifierModule, notifierConfigShape as configShape } from '@horizon/notifier';
import { ServicesUnderTest } from './support/services';

/** A deployment whose identity-broker has no GitHub App: nothing can open a PR, and it says why. */
describe('notifier without a GitHub App on identity-broker', () => {
  let services: ServicesUnderTest;
  let gh: GitHubStandIn;
  let conn: JetStreamConnection;

  beforeAll(async () => {
    [gh, services] = await Promise.all([startGitHubStandIn(), ServicesUnderTest.start('noapp-test')]);
    await services.boot('identity-broker', (port, env) =>
      IdentityBrokerModule.register(
        parseConfig(brokerConfigShape, {
          ...env,
          IDENTITY_BROKER_PORT: port,
          GITHUB_API_URL: gh.url,
        }),
      ),
    );
    await services.boot('notifier', (port, env) =>
      NotifierModule.register(
        parseConfig(configShape, { ...env, NOTIFIER_PORT: port, GITHUB_API_URL: gh.url }),
      ),
    );
    ({ conn } = services);
  });

  afterAll(async () => {
    await services?.stop();
    await gh?.close();
  });

  it("dead-letters the command with identity-broker's not_configured reason and calls GitHub not at all", async () => {
    const env = envelopeFor(
      forgeOpenPullRequest,
      {
        workItemId: randomUUID(),
        runId: randomUUID(),
        repo: 'acme/widgets',
        forge: 'github',
        head: 'horizon/abc-tidy',
        base: 'main',
        commitSha: 'c'.repeat(40),
        title: 'Tidy',
        body: 'Tidies.',
        verification: [],
        ownerId: null,
      },
      { source: 'orchestrator' },
    );
    await new Publisher(conn).publish(env);
    const dead = await deadLetterOf(conn, env.id);
    expect(dead.header.get(HEADER.dlqReason)).toMatch(
      /^identity-broker not_configured: .*no GitHub App configured/,
    );
    expect(gh.model.requests).toHaveLength(0);
  });
});
