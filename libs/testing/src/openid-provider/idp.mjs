// A real OpenID Provider (panva's certified `oidc-provider`) for tests, in its own process
// because the library is ES modules only. The person at the keyboard is set over
// PUT /__test/person (JSON claims, or null to decline); the interaction pages log them in and
// consent at once, as if they clicked through. Prints {"issuer": ...} on stdout when ready.
import http from 'node:http';
import Provider from 'oidc-provider';

const client = JSON.parse(process.env.OIDC_TEST_CLIENT);
let person = null;

const server = http.createServer();
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;

const provider = new Provider(issuer, {
  clients: [{ ...client, grant_types: ['authorization_code'], response_types: ['code'] }],
  claims: { openid: ['sub'], profile: ['name', 'preferred_username'], email: ['email', 'email_verified'] },
  findAccount: (_ctx, sub) =>
    person && person.sub === sub ? { accountId: sub, claims: () => person } : undefined,
  pkce: { required: () => true },
  cookies: { keys: ['test-only-cookie-key'] },
  features: { devInteractions: { enabled: false } },
  interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
  ttl: { AuthorizationCode: 60, IdToken: 300, AccessToken: 300, Interaction: 600, Session: 600, Grant: 600 },
});
// oidc-provider logs every refused request; the test asserts on the answers instead.
provider.on('server_error', (_ctx, err) => console.error(err));

async function interaction(req, res) {
  const details = await provider.interactionDetails(req, res);
  if (!person) {
    return provider.interactionFinished(
      req,
      res,
      { error: 'access_denied', error_description: 'the person declined' },
      { mergeWithLastSubmission: false },
    );
  }
  if (details.prompt.name === 'login') {
    return provider.interactionFinished(
      req,
      res,
      { login: { accountId: person.sub } },
      { mergeWithLastSubmission: false },
    );
  }
  const grant = new provider.Grant({
    accountId: details.session.accountId,
    clientId: details.params.client_id,
  });
  grant.addOIDCScope(String(details.params.scope));
  const grantId = await grant.save();
  return provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
}

const callback = provider.callback();
server.on('request', (req, res) => {
  if (req.url.startsWith('/__test/person') && req.method === 'PUT') {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      person = JSON.parse(body);
      res.writeHead(204).end();
    });
    return;
  }
  if (req.url.startsWith('/interaction/')) {
    interaction(req, res).catch((err) => {
      res.writeHead(500, { 'content-type': 'text/plain' }).end(String(err));
    });
    return;
  }
  callback(req, res);
});

process.stdout.write(`${JSON.stringify({ issuer })}\n`);
