import { Injectable } from '@nestjs/common';
import {
  harnessFlavours,
  harnessNameSchema,
  type HarnessByFlavour,
  type RepoAgentSettings,
} from '@horizon/contracts';
import { Prisma, type Tx } from '@horizon/db';

/** Each repository's `agent:` settings, as its newest default-branch snapshot declared them. */
@Injectable()
export class AgentSettingsRepository {
  /**
   * The `agent.harness` the repository declared, or null (none, or no snapshot told about it
   * yet). A name a newer publisher knows and this orchestrator does not is no choice here.
   */
  async harnessOf(tx: Tx, repo: string): Promise<RepoAgentSettings['harness'] | null> {
    const row = await tx.repoAgentSettings.findUnique({
      where: { repo },
      select: { harness: true, harnessByFlavour: true },
    });
    const forAll = harnessNameSchema.safeParse(row?.harness);
    if (!row?.harnessByFlavour) return forAll.success ? forAll.data : null;
    const stored = row.harnessByFlavour as Record<string, unknown>;
    const map: HarnessByFlavour = forAll.success ? { default: forAll.data } : {};
    for (const flavour of harnessFlavours) {
      const named = harnessNameSchema.safeParse(stored[flavour]);
      if (named.success) map[flavour] = named.data;
    }
    return map;
  }

  async save(tx: Tx, repo: string, commit: string, settings: RepoAgentSettings): Promise<void> {
    // A plain name is the harness of every flavour; a map's `default` is, beside its flavours.
    const { default: forAll = null, ...byFlavour } =
      typeof settings.harness === 'string' ? { default: settings.harness } : (settings.harness ?? {});
    const harnessByFlavour = Object.keys(byFlavour).length > 0 ? byFlavour : Prisma.DbNull;
    await tx.repoAgentSettings.upsert({
      where: { repo },
      create: { repo, commit, harness: forAll, harnessByFlavour },
      update: { commit, harness: forAll, harnessByFlavour },
    });
  }
}
