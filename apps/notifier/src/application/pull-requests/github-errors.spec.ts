import { classifyGitHubError } from './github-errors';

/** Shaped as Octokit's `RequestError`: status, message, and the response's headers and body. */
const requestError = (status: number, data: object, headers: Record<string, string> = {}) =>
  Object.assign(new Error(String((data as { message?: string }).message)), {
    status,
    response: { headers, data },
  });

describe('classifyGitHubError', () => {
  const now = Date.parse('2026-11-24T10:00:00Z');

  it('waits as long as a secondary rate limit asks (retry-after seconds)', () => {
    const err = requestError(
      403,
      { message: 'You have exceeded a secondary rate limit.' },
      { 'retry-after': '30' },
    );
    expect(classifyGitHubError(err, now)).toMatchObject({ kind: 'rate_limited', retryAfterMs: 30_000 });
  });

  it('waits until the primary limit resets when none remain', () => {
    const err = requestError(
      403,
      { message: 'API rate limit exceeded for installation.' },
      { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(now / 1000 + 90) },
    );
    expect(classifyGitHubError(err, now)).toMatchObject({ kind: 'rate_limited', retryAfterMs: 90_000 });
    expect(classifyGitHubError(requestError(429, { message: 'Too many' }), now)).toMatchObject({
      kind: 'rate_limited',
      retryAfterMs: 60_000,
    });
  });

  it('refuses on 401, 403 without a rate limit, and 404', () => {
    for (const status of [401, 403, 404])
      expect(classifyGitHubError(requestError(status, { message: 'Not Found' }), now)).toMatchObject({
        kind: 'refused',
        status,
      });
  });

  it("keeps GitHub's listed errors, where an existing PR is named", () => {
    const err = requestError(422, {
      message: 'Validation Failed',
      errors: [
        { resource: 'PullRequest', code: 'custom', message: 'A pull request already exists for acme:b.' },
      ],
    });
    expect(classifyGitHubError(err, now)).toEqual({
      kind: 'unprocessable',
      message: 'Validation Failed: A pull request already exists for acme:b.',
    });
  });

  it('retries server errors and failures without a status', () => {
    expect(classifyGitHubError(requestError(502, { message: 'Bad Gateway' }), now).kind).toBe('transient');
    expect(classifyGitHubError(new Error('ECONNRESET'), now)).toEqual({
      kind: 'transient',
      message: 'ECONNRESET',
    });
  });
});
