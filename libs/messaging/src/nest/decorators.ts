import { SetMetadata } from '@nestjs/common';
import type { Contract } from '@horizon/contracts';
import type { ConsumerSpec } from '../consumer';

export const CONSUMER_META = 'hzn:consumer';
export const HANDLER_META = 'hzn:handler';

export type ConsumerOptions = Omit<ConsumerSpec, 'handlers'>;

/** Marks a provider as one durable consumer; its `@HandleMessage` methods are the handlers. */
export const MessageConsumer = (options: ConsumerOptions): ClassDecorator =>
  SetMetadata(CONSUMER_META, options);

/**
 * Declares a method as the handler of one contract (or of several, when one method routes a
 * family of them). It receives the parsed, typed envelope and a context, and returns its
 * outcome (see `Outcome`).
 */
export const HandleMessage = (...contracts: [Contract, ...Contract[]]): MethodDecorator =>
  SetMetadata(HANDLER_META, contracts);
