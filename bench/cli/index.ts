// CLI start-up benchmark (`npm run bench -- cli [runs]`): `horizon status` as a person types it,
// through the bin (the bundle the bootstrap builds), against the sources through swc (how the
// CLI ran before it was bundled) and `node -e 0` (the floor), interleaved in one run so load
// on the machine hits all three alike: the wall time of each process, p50.
// Services need not run: status answers either way (exit 0 or 4) after asking each /readyz.
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
const runs = Number(process.argv[2] ?? 10);
const variants: Record<string, string[]> = {
  bundle: [path.join(ROOT, 'apps/cli/bin/horizon.js'), 'status'],
  swc: ['-r', '@swc-node/register', path.join(ROOT, 'apps/cli/src/main.ts'), 'status'],
  node: ['-e', '0'],
};

/** Milliseconds from spawn to exit. */
function once(args: string[]): number {
  const started = process.hrtime.bigint();
  const res = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8' });
  if (res.status !== 0 && res.status !== 4)
    throw new Error(`node ${args.join(' ')}: exit ${res.status}: ${res.stderr}`);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const walls: Record<string, number[]> = { bundle: [], swc: [], node: [] };
for (let i = 0; i < runs; i++)
  for (const [name, args] of Object.entries(variants)) walls[name]!.push(once(args));
const ms = (name: string) => Math.round(median(walls[name]!));
process.stdout.write(
  `BENCH cli runs=${runs} status_bundle_p50_ms=${ms('bundle')} status_swc_p50_ms=${ms('swc')} node_floor_p50_ms=${ms('node')} speedup=${(ms('swc') / ms('bundle')).toFixed(1)}\n`,
);
