import { z } from 'zod';
import { createEnvelope, Envelope, EnvelopeInit } from './envelope';

export type ContractKind = 'event' | 'command' | 'rpc';

/**
 * A contract names one message on the bus: its subject (relative to the deployment's stream
 * prefix), its type and version, and the zod schema of its data. Nothing crosses NATS
 * without one; the catalog in `catalog.ts` lists them all.
 */
export interface Contract<TSubject extends string = string, TData extends z.ZodType = z.ZodType> {
  readonly kind: ContractKind;
  readonly subject: TSubject;
  readonly type: string;
  readonly version: number;
  readonly data: TData;
  readonly description: string;
}

/** An RPC adds a reply schema to its request contract. */
export interface RpcContract<
  TSubject extends string = string,
  TData extends z.ZodType = z.ZodType,
  TReply extends z.ZodType = z.ZodType,
> extends Contract<TSubject, TData> {
  readonly kind: 'rpc';
  readonly reply: TReply;
}

export type DataOf<C extends Contract> = z.infer<C['data']>;
export type ReplyOf<C extends RpcContract> = z.infer<C['reply']>;
export type EnvelopeOf<C extends Contract> = Envelope<DataOf<C>>;

export function defineContract<const TSubject extends string, TData extends z.ZodType>(def: {
  kind: 'event' | 'command';
  subject: TSubject;
  version: number;
  data: TData;
  description: string;
  type?: string;
}): Contract<TSubject, TData> {
  return { ...def, type: def.type ?? def.subject };
}

export function defineRpc<
  const TSubject extends string,
  TData extends z.ZodType,
  TReply extends z.ZodType,
>(def: {
  subject: TSubject;
  version: number;
  data: TData;
  reply: TReply;
  description: string;
}): RpcContract<TSubject, TData, TReply> {
  return { ...def, kind: 'rpc', type: def.subject };
}

/** Builds an envelope for a contract, validating the data against its schema first. */
export function envelopeFor<C extends Contract>(
  contract: C,
  data: DataOf<C>,
  init: Omit<EnvelopeInit<DataOf<C>>, 'type' | 'version' | 'subject' | 'data'>,
): EnvelopeOf<C> {
  const parsed = contract.data.parse(data) as DataOf<C>;
  return createEnvelope({
    ...init,
    type: contract.type,
    version: contract.version,
    subject: contract.subject,
    data: parsed,
  });
}
