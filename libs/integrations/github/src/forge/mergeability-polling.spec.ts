import { nextMergeabilityStep } from './mergeability-polling';

const polling = { attempts: 4, firstDelayMs: 500, maxDelayMs: 1500 };
const notComputed = { mergeable: null, state: 'unknown', reason: null };

describe('nextMergeabilityStep', () => {
  it('asks again while GitHub has not computed it, doubling the delay up to the cap, then gives up', () => {
    expect([1, 2, 3, 4].map((asked) => nextMergeabilityStep(notComputed, asked, polling))).toEqual([
      { kind: 'ask_again', afterMs: 500 },
      { kind: 'ask_again', afterMs: 1000 },
      { kind: 'ask_again', afterMs: 1500 },
      { kind: 'gave_up', asked: 4 },
    ]);
  });

  it('reports a conflict only for `dirty`, with the reason when the forge gives one', () => {
    expect(nextMergeabilityStep({ mergeable: false, state: 'dirty', reason: null }, 1, polling)).toEqual({
      kind: 'conflicting',
      reason: null,
    });
    expect(
      nextMergeabilityStep(
        { mergeable: false, state: 'dirty', reason: 'merge conflict in a.js' },
        4,
        polling,
      ),
    ).toEqual({ kind: 'conflicting', reason: 'merge conflict in a.js' });
  });

  it.each([
    [{ mergeable: true, state: 'clean', reason: null }, 'clean'],
    [{ mergeable: true, state: 'blocked', reason: null }, 'blocked'],
    [{ mergeable: false, state: 'blocked', reason: 'the head has no commits the base lacks' }, 'blocked'],
  ])('a computed answer that is not a conflict ends the asking (%j)', (answer, state) => {
    expect(nextMergeabilityStep(answer, 1, polling)).toEqual({ kind: 'not_conflicting', state });
  });
});
