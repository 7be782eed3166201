import { parseCgroupMounts } from './cgroups';

describe('parseCgroupMounts', () => {
  it('finds v1 controllers and the unified mount on a hybrid host', () => {
    const mountinfo = [
      '31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755',
      '32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw,relatime - cgroup cgroup rw,cpu,cpuacct',
      '35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory',
      '41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw',
    ].join('\n');
    expect(parseCgroupMounts(mountinfo)).toEqual([
      { mountPoint: '/sys/fs/cgroup/cpu,cpuacct', fsType: 'cgroup', options: ['rw', 'cpu', 'cpuacct'] },
      { mountPoint: '/sys/fs/cgroup/memory', fsType: 'cgroup', options: ['rw', 'memory'] },
      { mountPoint: '/sys/fs/cgroup/unified', fsType: 'cgroup2', options: ['rw'] },
    ]);
  });
});
