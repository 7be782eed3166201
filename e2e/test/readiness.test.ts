import { INestApplication } from '@nestjs/common';
import { parseConfig } from '@horizon/config';
import { startService } from '@horizon/runtime';
import { createTestDatabase, TestDatabase, freePort, PrivateNats, startPrivateNats } from '@horizon/testing';
import { OrchestratorModule, orchestratorConfigShape as configShape } from '@horizon/orchestrator';

async function readyz(port: number) {
  const res = await fetch(`http://127.0.0.1:${port}/readyz`);
  return {
    status: res.status,
    body: (await res.json()) as { ready: boolean; checks: Record<string, { ok: boolean; error?: string }> },
  };
}

describe('service readiness (real Postgres, a private NATS)', () => {
  let nats: PrivateNats;
  let db: TestDatabase;
  let app: INestApplication;
  let port: number;

  beforeAll(async () => {
    [nats, db, port] = await Promise.all([startPrivateNats(), createTestDatabase(), freePort()]);
    const config = parseConfig(configShape, {
      DATABASE_URL: db.url,
      NATS_URL: nats.url,
      LOG_LEVEL: 'silent',
      ORCHESTRATOR_PORT: String(port),
    });
    app = await startService({ name: 'orchestrator', module: OrchestratorModule.register(config), port });
  });

  afterAll(async () => {
    await nats.start().catch(() => undefined);
    await app.close();
    await Promise.all([nats.destroy(), db.drop()]);
  });

  it('is alive and ready when Postgres and JetStream answer', async () => {
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    const { status, body } = await readyz(port);
    expect(status).toBe(200);
    expect(body.checks).toMatchObject({
      postgres: { ok: true },
      jetstream: { ok: true },
      consumers: { ok: true },
    });
  });

  it('turns not-ready, naming JetStream, when NATS is unreachable, and ready again when it is back', async () => {
    await nats.stop();
    // Not ready at once: until the client has seen the socket close, the probe's JetStream call
    // times out ("no answer within 2000 ms"); once it has, the check names the disconnection.
    let down = await readyz(port);
    const named = Date.now() + 10_000;
    for (;;) {
      expect(down.status).toBe(503);
      expect(down.body.checks.jetstream.ok).toBe(false);
      if (/^NATS disconnected since .+; reconnecting$/.test(down.body.checks.jetstream.error ?? '')) break;
      expect(Date.now()).toBeLessThan(named);
      await new Promise((r) => setTimeout(r, 200));
      down = await readyz(port);
    }
    expect(down.body.checks.postgres.ok).toBe(true);
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);

    await nats.start();
    const end = Date.now() + 15_000;
    let back = await readyz(port);
    while (back.status !== 200 && Date.now() < end) {
      await new Promise((r) => setTimeout(r, 200));
      back = await readyz(port);
    }
    expect(back.status).toBe(200);
  });

  it('serves Prometheus metrics labelled with the service', async () => {
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(text).toContain('process_cpu_user_seconds_total{service="orchestrator"}');
  });
});
