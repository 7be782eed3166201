/**
 * Who owns a new work item is identity-broker's knowledge, asked over RPC. The orchestrator
 * never waits on another service inside a database transaction, so a decision that needs an
 * answer it does not have yet throws `OwnerLookupNeeded`; that rolls the transaction back,
 * the question is asked outside it, and the transaction reruns with the answer known.
 */
export type OwnerQuestion =
  /** The identity a tracker or chat account is linked to. */
  | { readonly kind: 'linked'; readonly provider: 'linear' | 'slack'; readonly externalId: string }
  /** Whether an owner id named in a request is an identity. */
  | { readonly kind: 'identity'; readonly identityId: string };

export class OwnerLookupNeeded extends Error {
  constructor(readonly question: OwnerQuestion) {
    super(`owner lookup needed: ${questionKey(question)}`);
    this.name = 'OwnerLookupNeeded';
  }
}

function questionKey(q: OwnerQuestion): string {
  return q.kind === 'linked' ? `linked:${q.provider}:${q.externalId}` : `identity:${q.identityId}`;
}

/** The answers learnt for one message: an identity id, or null when there is none. */
export class OwnerAnswers {
  private readonly known = new Map<string, string | null>();

  /** The identity the account is linked to, or null; throws when identity-broker was not asked yet. */
  linkedTo(provider: 'linear' | 'slack', externalId: string): string | null {
    return this.answer({ kind: 'linked', provider, externalId });
  }

  /** The id when it names an identity, else null; throws when identity-broker was not asked yet. */
  identity(identityId: string): string | null {
    return this.answer({ kind: 'identity', identityId });
  }

  record(question: OwnerQuestion, identityId: string | null): void {
    this.known.set(questionKey(question), identityId);
  }

  private answer(question: OwnerQuestion): string | null {
    const key = questionKey(question);
    if (!this.known.has(key)) throw new OwnerLookupNeeded(question);
    return this.known.get(key)!;
  }
}

/** A decision names at most one person; more rounds than this is a bug, not a slow broker. */
const MAX_LOOKUPS = 3;

/**
 * Runs `work` (one transaction) until it no longer needs an owner it does not know, asking
 * `ask` between attempts. What `ask` throws (identity-broker unreachable) reaches the caller.
 */
export async function withOwnerAnswers<T>(
  ask: (question: OwnerQuestion) => Promise<string | null>,
  work: (owners: OwnerAnswers) => Promise<T>,
): Promise<T> {
  const owners = new OwnerAnswers();
  for (let lookups = 0; ; lookups++) {
    try {
      return await work(owners);
    } catch (err) {
      if (!(err instanceof OwnerLookupNeeded) || lookups >= MAX_LOOKUPS) throw err;
      owners.record(err.question, await ask(err.question));
    }
  }
}
