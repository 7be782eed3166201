import { counter, histogram } from '@horizon/observability';
import type { Registry } from 'prom-client';
import type { DeliveryMetrics } from './accept';

/** Prometheus series of the accept path. */
export function ingressMetrics(registry: Registry): DeliveryMetrics & { inboxDropped(count: number): void } {
  const deliveries = counter(
    registry,
    'hzn_ingress_deliveries_total',
    'Webhook deliveries by source and outcome',
    ['source', 'outcome'],
  );
  const unhandled = counter(
    registry,
    'hzn_ingress_unhandled_events_total',
    'Verified deliveries of events or actions ingress does not handle (answered 2xx, not enqueued)',
    ['source', 'event'],
  );
  const latency = histogram(
    registry,
    'hzn_ingress_accept_seconds',
    'Time from body received to answer, by source and outcome',
    ['source', 'outcome'],
    [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  );
  const dropped = counter(
    registry,
    'hzn_ingress_inbox_dropped_total',
    'InboxDelivery records dropped because Postgres stayed unreachable',
  );
  return {
    delivery(source, outcome, seconds) {
      deliveries.inc({ source, outcome });
      latency.observe({ source, outcome }, seconds);
    },
    unhandled(source, event) {
      unhandled.inc({ source, event });
    },
    inboxDropped(count) {
      dropped.inc(count);
    },
  };
}
