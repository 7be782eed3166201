import { afterReview, FinishedReview, reviewConclusion, reviewEvent } from './review-outcome';

const sha = 'a'.repeat(40);
const review = (over: Partial<FinishedReview> = {}): FinishedReview => ({
  verdict: 'request_changes',
  horizonItem: { state: 'in_review', headSha: sha },
  reviewedSha: sha,
  selfRevisionsDone: 0,
  selfRevisionLimit: 1,
  ...over,
});

describe('after an agent review (the review outcome table)', () => {
  it.each<[string, Partial<FinishedReview>, string, ReturnType<typeof afterReview>['followUp']['type']]>([
    ['changes requested on Horizon’s PR: one revise run', {}, 'self-revision', 'self_revision'],
    [
      'a second request once the one is spent: a human',
      { selfRevisionsDone: 1 },
      'self-revisions-spent',
      'hand_to_human',
    ],
    ['selfRevisions 0: never', { selfRevisionLimit: 0 }, 'self-revisions-spent', 'hand_to_human'],
    [
      'selfRevisions 2: a second one',
      { selfRevisionsDone: 1, selfRevisionLimit: 2 },
      'self-revision',
      'self_revision',
    ],
    ['approved', { verdict: 'approve' }, 'verdict-without-changes', 'hand_to_human'],
    ['only comments', { verdict: 'comment' }, 'verdict-without-changes', 'hand_to_human'],
    ['a person’s PR', { horizonItem: null }, 'person-pull-request', 'hand_to_human'],
    [
      'a human already asked for a revision',
      { horizonItem: { state: 'revising', headSha: sha } },
      'item-not-waiting-for-review',
      'hand_to_human',
    ],
    [
      'merged meanwhile',
      { horizonItem: { state: 'merged', headSha: sha } },
      'item-not-waiting-for-review',
      'hand_to_human',
    ],
    [
      'the branch moved after the reviewed commit',
      { horizonItem: { state: 'in_review', headSha: 'b'.repeat(40) } },
      'review-of-an-older-commit',
      'hand_to_human',
    ],
    [
      'the item’s head is unknown: the review counts',
      { horizonItem: { state: 'in_review', headSha: null } },
      'self-revision',
      'self_revision',
    ],
  ])('%s', (_, over, rule, type) => {
    const outcome = afterReview(review(over));
    expect(outcome.rule).toBe(rule);
    expect(outcome.followUp.type).toBe(type);
  });

  it('says why it hands a PR to a human', () => {
    expect(afterReview(review({ selfRevisionsDone: 1 })).followUp.reason).toBe(
      'review.selfRevisions (1) spent: 1 revise run(s) already followed agent reviews',
    );
  });

  it('posts a verdict on the bot’s own PR as a comment (GitHub refuses the rest) and concludes the check run', () => {
    expect(reviewEvent('request_changes', true)).toBe('COMMENT');
    expect(reviewEvent('approve', true)).toBe('COMMENT');
    expect(reviewEvent('request_changes', false)).toBe('REQUEST_CHANGES');
    expect(reviewEvent('approve', false)).toBe('APPROVE');
    expect(reviewEvent('comment', false)).toBe('COMMENT');
    expect([
      reviewConclusion('approve'),
      reviewConclusion('comment'),
      reviewConclusion('request_changes'),
    ]).toEqual(['success', 'neutral', 'failure']);
  });
});
