import { orchestratorGetWorkItem } from '@horizon/contracts';
import type { RpcClient } from '@horizon/messaging';
import { roleIn } from '../domain/access';
import type { EventStream } from '../messaging/event-stream';
import type { RunTranscriptsRepository } from '../persistence/run-transcripts.repository';
import type { RunPage } from '../shared/console-api';
import type { Viewer } from './sign-in.service';

/** No run by that id that the person may see: one 404 for both, as for work items. */
export class RunNotFound extends Error {}

/**
 * A run's page: the orchestrator's view of the run (through its RPC) with the transcript the
 * console kept from `hzn.evt.run.progress`. The run is found through its work item, which the
 * console learnt from the run's events, so a run none of whose events arrived yet is not found.
 */
export class RunReader {
  constructor(
    private readonly rpc: RpcClient,
    private readonly events: EventStream,
    private readonly transcripts: RunTranscriptsRepository,
  ) {}

  async run(viewer: Viewer, runId: string): Promise<RunPage> {
    const streamSeq = await this.events.position();
    const workItemId = await this.transcripts.workItemOf(runId);
    if (!workItemId) throw new RunNotFound(runId);
    const { workItem } = await this.rpc.call(orchestratorGetWorkItem, { workItemId });
    if (!workItem || !roleIn(viewer.grants, workItem.repo)) throw new RunNotFound(runId);
    const run = workItem.runs.find((r) => r.id === runId);
    if (!run) throw new RunNotFound(runId);
    const durationMs =
      run.startedAt && run.finishedAt ? Date.parse(run.finishedAt) - Date.parse(run.startedAt) : null;
    return {
      run: { ...run, durationMs },
      workItem: { id: workItem.id, title: workItem.title, repo: workItem.repo, state: workItem.state },
      transcript: await this.transcripts.transcript(runId),
      streamSeq,
    };
  }
}
