import { readRunToken, RunTokenClaims, RunTokenRejected, RunTokenRequest, signRunToken } from './run-token';

/** Where revoked runs are remembered until their tokens would have expired anyway. */
export interface RevocationStore {
  revoke(runId: string, until: Date): Promise<void>;
  isRevoked(runId: string): Promise<boolean>;
}

export interface MintedRunToken {
  token: string;
  tokenId: string;
  expiresAt: Date;
}

/** Mints run tokens: what sandbox-manager needs (the secret only) when it starts a run. */
export class RunTokenMinter {
  constructor(
    protected readonly secret: Buffer,
    protected readonly clock: () => Date = () => new Date(),
  ) {}

  mint(request: RunTokenRequest): MintedRunToken {
    const { token, tokenId } = signRunToken(this.secret, request, this.clock());
    return { token, tokenId, expiresAt: new Date(Math.floor(request.expiresAt.getTime() / 1000) * 1000) };
  }
}

/**
 * Mints, verifies and revokes run tokens: mcp-context's side. It verifies on every request and
 * revokes when the run finishes (`hzn.evt.run.finished`), so a token dies with its run even
 * before its deadline.
 */
export class RunTokenIssuer extends RunTokenMinter {
  constructor(
    secret: Buffer,
    private readonly revocations: RevocationStore,
    clock?: () => Date,
  ) {
    super(secret, clock);
  }

  async verify(token: string): Promise<RunTokenClaims> {
    const claims = readRunToken(this.secret, token, this.clock());
    if (await this.revocations.isRevoked(claims.runId))
      throw new RunTokenRejected(`token revoked: run ${claims.runId} has ended`);
    return claims;
  }

  /** Revokes every token of the run. `until` bounds how long the record is kept (the deadline). */
  async revoke(runId: string, until: Date): Promise<void> {
    await this.revocations.revoke(runId, until);
  }
}
