import { DataOf, ingressContracts } from '@horizon/contracts';

type IngressContract = (typeof ingressContracts)[number];
type EventOf<C> = C extends IngressContract
  ? { readonly subject: C['subject']; readonly data: DataOf<C> }
  : never;

/** A normalized ingress message as the orchestrator consumes it: its contract subject and its data. */
export type IngressEvent = EventOf<IngressContract>;
export type IngressSubject = IngressEvent['subject'];
export type IngressDataOf<S extends IngressSubject> = Extract<IngressEvent, { subject: S }>['data'];

export class UnknownIngressSubjectError extends Error {
  constructor(readonly subject: string) {
    super(`No ingress contract has the subject "${subject}"`);
    this.name = 'UnknownIngressSubjectError';
  }
}

/**
 * Checks an envelope's data against the contract its subject names.
 * @throws UnknownIngressSubjectError for a subject outside the ingress contracts; ZodError for bad data.
 */
export function parseIngressEvent(message: { subject: string; data: unknown }): IngressEvent {
  const contract = ingressContracts.find((c) => c.subject === message.subject);
  if (!contract) throw new UnknownIngressSubjectError(message.subject);
  return { subject: contract.subject, data: contract.data.parse(message.data) } as IngressEvent;
}
