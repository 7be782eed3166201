import { Injectable } from '@nestjs/common';
import { harnessNameSchema, type HarnessName, type RepoAgentSettings } from '@horizon/contracts';
import type { Tx } from '@horizon/db';

/** Each repository's `agent:` settings, as its newest default-branch snapshot declared them. */
@Injectable()
export class AgentSettingsRepository {
  /** The harness the repository names, or null (none named, or no snapshot told about it yet). */
  async harnessOf(tx: Tx, repo: string): Promise<HarnessName | null> {
    const row = await tx.repoAgentSettings.findUnique({ where: { repo }, select: { harness: true } });
    // A name a newer publisher knows and this orchestrator does not is no choice here.
    const named = harnessNameSchema.safeParse(row?.harness);
    return named.success ? named.data : null;
  }

  async save(tx: Tx, repo: string, commit: string, settings: RepoAgentSettings): Promise<void> {
    const harness = settings.harness ?? null;
    await tx.repoAgentSettings.upsert({
      where: { repo },
      create: { repo, commit, harness },
      update: { commit, harness },
    });
  }
}
