import { parseReceivePackCommands } from './receive-pack';

const zero = '0'.repeat(40);
const oid = 'a'.repeat(40);
const pkt = (line: string) => `${(line.length + 4).toString(16).padStart(4, '0')}${line}`;

describe('parseReceivePackCommands', () => {
  it('reads every ref update before the flush, capabilities and shallow lines aside', () => {
    const body = Buffer.from(
      pkt(`shallow ${oid}\n`) +
        pkt(`${zero} ${oid} refs/heads/horizon/run-1\0report-status side-band-64k\n`) +
        pkt(`${oid} ${zero} refs/heads/main\n`) +
        '0000PACK....',
    );
    expect(parseReceivePackCommands(body)).toEqual({
      state: 'complete',
      refs: ['refs/heads/horizon/run-1', 'refs/heads/main'],
    });
  });

  it('asks for more until the flush arrives', () => {
    const full = Buffer.from(pkt(`${zero} ${oid} refs/heads/x\0caps\n`) + '0000');
    expect(parseReceivePackCommands(full.subarray(0, 10))).toEqual({ state: 'incomplete' });
    expect(parseReceivePackCommands(full.subarray(0, full.length - 4))).toEqual({ state: 'incomplete' });
    expect(parseReceivePackCommands(full)).toEqual({ state: 'complete', refs: ['refs/heads/x'] });
  });

  it('refuses what it does not understand', () => {
    expect(parseReceivePackCommands(Buffer.from('zzzz'))).toMatchObject({ state: 'malformed' });
    expect(parseReceivePackCommands(Buffer.from('0000'))).toMatchObject({
      state: 'malformed',
      reason: 'no commands',
    });
    expect(parseReceivePackCommands(Buffer.from(pkt('push-cert\0caps\n') + '0000'))).toMatchObject({
      state: 'malformed',
    });
  });
});
