import { randomUUID } from 'node:crypto';
import type { PrismaClient } from '@horizon/db';
import type { IdentityView, Provider } from '@horizon/contracts';
import { RpcError } from '@horizon/messaging';

export interface AccountRef {
  provider: Provider;
  externalId: string;
  login?: string | null;
}

const withLinks = { links: { orderBy: { createdAt: 'asc' as const } } };

/** Identities and their links in Postgres. */
export class IdentityRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async resolve(provider: Provider, externalId: string): Promise<IdentityView | null> {
    const link = await this.prisma.identityLink.findUnique({
      where: { provider_externalId: { provider, externalId } },
      include: { identity: { include: withLinks } },
    });
    return link ? view(link.identity) : null;
  }

  async get(identityId: string): Promise<IdentityView | null> {
    const identity = await this.prisma.identity.findUnique({ where: { id: identityId }, include: withLinks });
    return identity ? view(identity) : null;
  }

  async list(): Promise<IdentityView[]> {
    const identities = await this.prisma.identity.findMany({
      include: withLinks,
      orderBy: [{ displayName: 'asc' }, { id: 'asc' }],
    });
    return identities.map(view);
  }

  /**
   * Attaches an account to an identity (an existing one, or a new one named `displayName`).
   * Linking an account to the identity it already belongs to updates its login; an account
   * linked to someone else is a conflict, never silently moved.
   */
  async link(
    target: { identityId?: string; displayName?: string },
    account: AccountRef,
  ): Promise<IdentityView> {
    return this.prisma.$transaction(async (tx) => {
      const existing = await tx.identityLink.findUnique({
        where: { provider_externalId: { provider: account.provider, externalId: account.externalId } },
      });
      let identityId = target.identityId;
      if (existing && identityId && existing.identityId !== identityId) {
        throw new RpcError(
          'conflict',
          `${account.provider} account ${account.externalId} is linked to another identity`,
        );
      }
      identityId ??= existing?.identityId;
      if (!identityId) {
        identityId = randomUUID();
        await tx.identity.create({
          data: { id: identityId, displayName: target.displayName ?? account.login ?? account.externalId },
        });
      } else if (!(await tx.identity.findUnique({ where: { id: identityId } }))) {
        throw new RpcError('not_found', `no identity ${identityId}`);
      }
      if (existing) {
        if (account.login !== undefined)
          await tx.identityLink.update({ where: { id: existing.id }, data: { login: account.login } });
      } else {
        await tx.identityLink.create({
          data: {
            id: randomUUID(),
            identityId,
            provider: account.provider,
            externalId: account.externalId,
            login: account.login ?? null,
          },
        });
      }
      const identity = await tx.identity.findUniqueOrThrow({ where: { id: identityId }, include: withLinks });
      return view(identity);
    });
  }

  /** Removes one account from an identity: the identity, or null when it is not linked there. */
  async unlink(identityId: string, account: AccountRef): Promise<IdentityView | null> {
    return this.prisma.$transaction(async (tx) => {
      const removed = await tx.identityLink.deleteMany({
        where: { identityId, provider: account.provider, externalId: account.externalId },
      });
      if (removed.count === 0) return null;
      return view(await tx.identity.findUniqueOrThrow({ where: { id: identityId }, include: withLinks }));
    });
  }
}

function view(identity: {
  id: string;
  displayName: string;
  links: { provider: Provider; externalId: string; login: string | null }[];
}): IdentityView {
  return {
    id: identity.id,
    displayName: identity.displayName,
    links: identity.links.map((l) => ({ provider: l.provider, externalId: l.externalId, login: l.login })),
  };
}
