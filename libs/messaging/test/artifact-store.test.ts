import { randomBytes } from 'node:crypto';
import { ArtifactStore } from '@horizon/messaging';
import { jetStreamPerTest } from './support';

describe('ArtifactStore (real JetStream object store)', () => {
  const js = jetStreamPerTest('artifact-store-test');

  it('keeps an artifact larger than one NATS message and gives it back whole, with its type', async () => {
    const store = new ArtifactStore(js.conn);
    // Larger than the default 1 MiB max payload: the object store chunks it.
    const png = randomBytes(1_500_000);
    const uri = await store.put('runs/r1/browser/change-r0/cart.png', png, 'image/png');
    expect(uri).toBe(`nats-object://${store.bucket}/runs/r1/browser/change-r0/cart.png`);
    expect(store.nameOf(uri)).toBe('runs/r1/browser/change-r0/cart.png');

    const read = await new ArtifactStore(js.conn).get('runs/r1/browser/change-r0/cart.png');
    expect(read?.contentType).toBe('image/png');
    expect(Buffer.from(read!.data).equals(png)).toBe(true);
  });

  it("answers null for a name it never kept, and does not read another store's URI as its own", async () => {
    const store = new ArtifactStore(js.conn);
    await expect(store.get('runs/nope/x.png')).resolves.toBeNull();
    expect(store.nameOf('nats-object://OTHER_HZN_ARTIFACTS/runs/r1/x.png')).toBeNull();
    expect(store.nameOf('file:///var/lib/horizon/x.png')).toBeNull();
  });

  it("lives under the deployment's prefix, so two Horizons on one NATS keep their own", () => {
    expect(new ArtifactStore(js.conn).bucket).toBe(`${js.conn.naming.prefix}_HZN_ARTIFACTS`);
  });
});
