import { budgetLimitsSchema } from '@horizon/contracts';
import { addExtra, mergeLimits, runAllowance, startRefusal, type BudgetFacts } from './budget';

const none = { tokens: 0, costUsd: 0 };
const facts = (over: Partial<BudgetFacts>): BudgetFacts => ({
  limits: {},
  extra: null,
  spent: { item: none, project: none, personDay: none },
  answerTimeoutMs: 60_000,
  ...over,
});

describe('budgets', () => {
  it('gives no allowance when no limit applies', () => {
    expect(runAllowance(facts({}))).toBeNull();
    expect(startRefusal(facts({}))).toBeNull();
  });

  it('allows the tightest of every limit less what its scope spent, naming it', () => {
    const allowance = runAllowance(
      facts({
        limits: { run: { tokens: 10_000, costUsd: 5 }, item: { tokens: 12_000 }, project: { costUsd: 100 } },
        spent: {
          item: { tokens: 4_000, costUsd: 1 },
          project: { tokens: 0, costUsd: 97.5 },
          personDay: none,
        },
      }),
    );
    expect(allowance).toEqual({
      tokens: 8_000,
      costUsd: 2.5,
      tokensFrom: 'work item limit of 12,000 tokens',
      costFrom: "the repository's monthly limit of $100.00",
      wallMs: null,
      wallFrom: null,
      answerTimeoutMs: 60_000,
    });
  });

  it("gives a run its limit's wall time, whatever earlier runs took, with the minutes granted", () => {
    expect(runAllowance(facts({ limits: { run: { minutes: 30 } } }))).toEqual({
      tokens: null,
      costUsd: null,
      tokensFrom: null,
      costFrom: null,
      wallMs: 30 * 60_000,
      wallFrom: 'run limit of 30 minutes',
      answerTimeoutMs: 60_000,
    });
    expect(
      runAllowance(
        facts({
          limits: { run: { minutes: 30, tokens: 1_000 } },
          extra: { tokens: null, costUsd: 2, minutes: 1 },
        }),
      ),
    ).toMatchObject({
      tokens: 1_000,
      wallMs: 31 * 60_000,
      wallFrom: 'run limit of 30 minutes (plus 1 minute granted)',
    });
    // A wall-time limit alone never keeps a run from starting.
    expect(startRefusal(facts({ limits: { run: { minutes: 1 } }, extra: null }))).toBeNull();
  });

  it('refuses a limit in minutes anywhere but the run, saying where it belongs', () => {
    expect(budgetLimitsSchema.safeParse({ run: { minutes: 20 } }).success).toBe(true);
    const refused = budgetLimitsSchema.safeParse({ item: { minutes: 20, tokens: 5 } });
    expect(refused.success).toBe(false);
    expect(refused.error?.issues).toEqual([
      expect.objectContaining({
        path: ['item', 'minutes'],
        message: 'a limit in minutes (wall time) applies to one run only: put it under `run`',
      }),
    ]);
  });

  it('adds what people granted to every limit', () => {
    const allowance = runAllowance(
      facts({
        limits: { run: { costUsd: 1 } },
        extra: { tokens: null, costUsd: 2, minutes: null },
      }),
    );
    expect(allowance).toMatchObject({
      tokens: null,
      costUsd: 3,
      costFrom: 'run limit of $1.00 (plus $2.00 granted)',
    });
  });

  it('refuses to start once a limit beyond the run is spent, never for the run limit alone', () => {
    expect(startRefusal(facts({ limits: { run: { tokens: 1 } } }))).toBeNull();
    expect(
      startRefusal(
        facts({
          limits: { project: { costUsd: 1 } },
          spent: { item: none, project: { tokens: 10, costUsd: 1.2 }, personDay: none },
        }),
      ),
    ).toBe("the repository's monthly limit of $1.00 is spent");
  });

  it('leaves the person-day limit out for work without an owner', () => {
    const ownerless = facts({
      limits: { personDay: { tokens: 10 } },
      spent: { item: none, project: none, personDay: null },
    });
    expect(runAllowance(ownerless)).toBeNull();
    expect(startRefusal(ownerless)).toBeNull();
  });

  it("merges a repository's limits over the configuration's scope by scope", () => {
    expect(mergeLimits({ run: { tokens: 5 }, item: { costUsd: 2 } }, { run: { costUsd: 1 } })).toEqual({
      run: { costUsd: 1 },
      item: { costUsd: 2 },
    });
  });

  it('adds grants up', () => {
    const dollars = { tokens: null, costUsd: 2, minutes: null };
    expect(addExtra(addExtra(null, dollars), { tokens: 500, costUsd: 2, minutes: null })).toEqual({
      tokens: 500,
      costUsd: 4,
      minutes: null,
    });
    expect(addExtra(addExtra(null, dollars), { tokens: null, costUsd: null, minutes: 15 })).toEqual({
      tokens: null,
      costUsd: 2,
      minutes: 15,
    });
    // A grant stored before minutes existed reads as none.
    expect(
      addExtra({ tokens: 5, costUsd: null } as never, { tokens: null, costUsd: null, minutes: 5 }),
    ).toEqual({
      tokens: 5,
      costUsd: null,
      minutes: 5,
    });
  });
});
