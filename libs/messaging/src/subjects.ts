/**
 * Subject arithmetic in the NATS wildcard grammar (`*` = exactly one token, `>` = one or more
 * trailing tokens), so a consumer's filter is derived from the contracts its handlers declare
 * and checked against them, instead of being a string that can drift from its handlers.
 * Pure: no connection, no Nest.
 */

const tokens = (subject: string): string[] => subject.split('.');

/**
 * True when every subject `inner` can match is also matched by `outer` (a concrete subject
 * matches only itself). `hzn.evt.>` covers `hzn.evt.run.*`; `hzn.evt.*` does not cover `hzn.evt.>`.
 */
export function covers(outer: string, inner: string): boolean {
  const o = tokens(outer);
  const i = tokens(inner);
  for (let k = 0; k < o.length; k++) {
    if (o[k] === '>') return k < i.length;
    if (k >= i.length || i[k] === '>') return false;
    if (o[k] !== '*' && (i[k] === '*' || o[k] !== i[k])) return false;
  }
  return o.length === i.length;
}

/** True when some subject matches both filters (a work-queue stream refuses such consumers). */
export function overlaps(a: string, b: string): boolean {
  const x = tokens(a);
  const y = tokens(b);
  for (let k = 0; k < Math.min(x.length, y.length); k++) {
    if (x[k] === '>' || y[k] === '>') return true;
    if (x[k] !== '*' && y[k] !== '*' && x[k] !== y[k]) return false;
  }
  return x.length === y.length;
}

/**
 * The narrowest filter matching all of `subjects` (concrete subjects). Of one length: each
 * position keeps its token where they all agree, else `*`. Of different lengths no `*`-only
 * filter can match them all, so it is the longest prefix shorter than the shortest, then `>`.
 */
export function narrowestFilter(subjects: readonly string[]): string {
  if (!subjects.length) throw new Error('no subject to derive a filter from');
  const split = subjects.map(tokens);
  const lengths = new Set(split.map((t) => t.length));
  const shortest = Math.min(...lengths);
  const width = lengths.size === 1 ? shortest : shortest - 1;
  const head = Array.from({ length: width }, (_, k) =>
    split.every((t) => t[k] === split[0]![k]) ? split[0]![k]! : '*',
  );
  return lengths.size === 1 ? head.join('.') : [...head, '>'].join('.');
}

export interface ConsumerSubjects {
  durable: string;
  /** The subject space of the consumer's stream, e.g. `hzn.evt.>`. */
  streamSubjects: string;
  /** A filter declared by hand; otherwise it is derived from the handlers. */
  filterSubject?: string;
  /** Each handled contract subject with the name of its handler, for the error. */
  handlers: ReadonlyArray<{ subject: string; handler: string }>;
  /** Contract subjects the filter delivers that the consumer acknowledges unread. */
  ignored?: readonly string[];
}

/**
 * The filter subject a consumer binds with: the declared one, or the narrowest covering its
 * handlers. Throws, naming the handler, its subject and the filter, when a handler could never
 * receive its messages, or an ignored subject is never delivered.
 */
export function consumerFilter(c: ConsumerSubjects): string {
  if (!c.handlers.length)
    throw new Error(`consumer ${c.durable} has no handlers: give it at least one @HandleMessage method`);
  for (const { subject, handler } of c.handlers) {
    if (!covers(c.streamSubjects, subject))
      throw new Error(
        `consumer ${c.durable}: handler ${handler} handles ${subject}, which is not in its stream (${c.streamSubjects}); declare the stream that holds it`,
      );
  }
  const filter = c.filterSubject ?? narrowestFilter(c.handlers.map((h) => h.subject));
  if (!covers(c.streamSubjects, filter))
    throw new Error(
      `consumer ${c.durable}: filter ${filter} is not within its stream's subjects ${c.streamSubjects}`,
    );
  for (const { subject, handler } of c.handlers) {
    if (!covers(filter, subject))
      throw new Error(
        `consumer ${c.durable}: handler ${handler} handles ${subject}, which lies outside the consumer's filter ${filter}; widen the filter or drop the declared one so it is derived`,
      );
  }
  for (const subject of c.ignored ?? []) {
    if (!covers(filter, subject))
      throw new Error(
        `consumer ${c.durable} ignores ${subject}, which its filter ${filter} never delivers; remove it from ignore`,
      );
  }
  return filter;
}

/**
 * Subjects of `known` (the catalog) that `filter` delivers but the consumer neither handles nor
 * ignores: each would be dead-lettered as "no handler", so a service refuses to start with any.
 */
export function unclaimedSubjects(
  filter: string,
  claimed: ReadonlySet<string>,
  known: readonly string[],
): string[] {
  return known.filter((s) => covers(filter, s) && !claimed.has(s));
}
