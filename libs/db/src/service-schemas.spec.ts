import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { SERVICE_SCHEMAS, serviceDatabaseUrl } from './service-schemas';

describe('service schemas', () => {
  it('are the ones npm start launches each service with (tools/lib/services.mjs)', async () => {
    const file = path.join(__dirname, '..', '..', '..', 'tools', 'lib', 'services.mjs');
    const { SERVICES, serviceEnv } = (await import(pathToFileURL(file).href)) as {
      SERVICES: { name: string; schema: string; portVar: string }[];
      serviceEnv: (s: unknown, env: Record<string, string>) => Record<string, string>;
    };
    expect(Object.fromEntries(SERVICES.map((s) => [s.name, s.schema]))).toEqual(SERVICE_SCHEMAS);
    const base = 'postgresql://postgres:secret@127.0.0.1:5432/horizon';
    for (const s of SERVICES) {
      expect(serviceEnv(s, { DATABASE_URL: base }).DATABASE_URL).toBe(
        serviceDatabaseUrl(base, s.name as keyof typeof SERVICE_SCHEMAS),
      );
    }
  });

  it('swap the user for the role and keep host, port and database', () => {
    expect(
      serviceDatabaseUrl('postgresql://postgres:pw@db.internal:6543/horizon?sslmode=require', 'forge'),
    ).toBe('postgresql://hzn_forge@db.internal:6543/horizon?sslmode=require');
  });

  it('take a deployment URL per service over the derived one', async () => {
    const file = path.join(__dirname, '..', '..', '..', 'tools', 'lib', 'services.mjs');
    const { SERVICES, serviceEnv } = await import(pathToFileURL(file).href);
    const notifier = SERVICES.find((s: { name: string }) => s.name === 'notifier');
    const env = serviceEnv(notifier, {
      DATABASE_URL: 'postgresql://postgres@127.0.0.1/horizon',
      NOTIFIER_DATABASE_URL: 'postgresql://hzn_notifier:s3cret@db/horizon',
    });
    expect(env.DATABASE_URL).toBe('postgresql://hzn_notifier:s3cret@db/horizon');
  });
});
