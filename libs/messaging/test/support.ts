import { randomUUID } from 'node:crypto';
import { DataOf, workItemStateChanged } from '@horizon/contracts';
import type { ConsumerRunner, JetStreamConnection, Publisher } from '@horizon/messaging';
import { connectTestMessaging, createTestMessaging, type TestMessaging } from '@horizon/testing';

export interface JetStreamPerTest {
  messaging: TestMessaging;
  conn: JetStreamConnection;
  publisher: Publisher;
  /** Runners the test started; stopped after it. */
  runners: ConsumerRunner[];
}

/**
 * A fresh stream prefix per test, with the test's connection on it: new durables start at the
 * stream's beginning, so streams shared between tests would hand each test the others' messages.
 */
export function jetStreamPerTest(name: string): JetStreamPerTest {
  const js = { runners: [] } as unknown as JetStreamPerTest;
  beforeEach(async () => {
    js.messaging = await createTestMessaging();
    Object.assign(js, await connectTestMessaging(js.messaging, name));
  });
  afterEach(async () => {
    await Promise.all(js.runners.splice(0).map((r) => r.stop()));
    await js.conn.close();
    await js.messaging.cleanup();
  });
  return js;
}

export const stateChangedData = (workItemId = randomUUID()): DataOf<typeof workItemStateChanged> => ({
  workItemId,
  from: 'queued',
  to: 'provisioning',
  cause: 'test',
  runId: null,
  sourceRefs: {},
});
