/**
 * Linear's endpoints from `LINEAR_API_URL`. Every service shares the variable, so it takes
 * the API origin (`https://api.linear.app`) and also accepts the GraphQL endpoint itself
 * (`…/graphql`, what the SDK calls `apiUrl`): one value works for the notifier's and
 * mcp-context's GraphQL calls and for identity-broker's `oauth/token`.
 */
export function linearEndpoints(apiUrl = 'https://api.linear.app'): { graphql: string; oauthToken: string } {
  const origin = new URL(apiUrl);
  origin.pathname = origin.pathname.replace(/\/graphql\/?$/, '').replace(/\/?$/, '/');
  origin.search = '';
  return {
    graphql: new URL('graphql', origin).toString(),
    oauthToken: new URL('oauth/token', origin).toString(),
  };
}
