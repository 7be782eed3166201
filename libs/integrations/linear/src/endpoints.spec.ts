import { linearEndpoints } from './endpoints';

describe('linearEndpoints', () => {
  it.each([
    ['https://api.linear.app', 'https://api.linear.app/graphql', 'https://api.linear.app/oauth/token'],
    ['https://api.linear.app/', 'https://api.linear.app/graphql', 'https://api.linear.app/oauth/token'],
    [
      'https://api.linear.app/graphql',
      'https://api.linear.app/graphql',
      'https://api.linear.app/oauth/token',
    ],
    ['http://127.0.0.1:4010/graphql/', 'http://127.0.0.1:4010/graphql', 'http://127.0.0.1:4010/oauth/token'],
    [
      'http://proxy.internal/linear',
      'http://proxy.internal/linear/graphql',
      'http://proxy.internal/linear/oauth/token',
    ],
  ])('%s → GraphQL and token endpoints', (input, graphql, oauthToken) => {
    expect(linearEndpoints(input)).toEqual({ graphql, oauthToken });
  });

  it('defaults to Linear itself', () => {
    expect(linearEndpoints().graphql).toBe('https://api.linear.app/graphql');
  });
});
