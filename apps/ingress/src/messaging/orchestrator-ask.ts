import type { DataOf, ReplyOf, RpcContract } from '@horizon/contracts';
import { RpcClient, RpcError } from '@horizon/messaging';

/** The orchestrator refused the request; `code` is its reason (e.g. not_found, invalid_fleet). */
export class OrchestratorRefusedError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The orchestrator did not answer: the caller may retry later. */
export class OrchestratorUnavailableError extends Error {}

/** One RPC to the orchestrator, its refusals and outages told apart. */
export async function askOrchestrator<C extends RpcContract>(
  rpc: Pick<RpcClient, 'call'>,
  contract: C,
  data: DataOf<C>,
): Promise<ReplyOf<C>> {
  try {
    return await rpc.call(contract, data);
  } catch (err) {
    if (!(err instanceof RpcError)) throw err;
    if (err.code === 'unavailable' || err.code === 'internal')
      throw new OrchestratorUnavailableError(err.message);
    // The client prefixes the subject; the caller is told the orchestrator's own words.
    throw new OrchestratorRefusedError(err.code, err.message.replace(`${contract.subject}: `, ''));
  }
}
