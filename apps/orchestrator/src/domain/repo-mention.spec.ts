import { repoNamedIn } from './repo-mention';

describe('repoNamedIn', () => {
  it.each([
    ['<@U07HZNBOT> repo:acme/billing fix the flaky test', 'acme/billing'],
    ['repo:acme/billing', 'acme/billing'],
    ['fix it (repo:demo/cart)', 'demo/cart'],
    ['fix it in repo:demo/cart.', 'demo/cart'],
    ['fix it in repo:demo/cart, please', 'demo/cart'],
    ['see "repo:acme/web.site" for the code', 'acme/web.site'],
    ['Work on *repo:acme/app_v2*', 'acme/app_v2'],
    ['Target: repo:acme/app; then deploy', 'acme/app'],
  ])('%s → %s', (text, repo) => {
    expect(repoNamedIn(text)).toBe(repo);
  });

  it.each([
    ['no repository here'],
    ['monorepo:acme/app is not a mention'],
    ['repo: with nothing after'],
    ['repo:just-an-owner'],
    [null],
    [undefined],
  ])('%s → null', (text) => {
    expect(repoNamedIn(text)).toBeNull();
  });
});
