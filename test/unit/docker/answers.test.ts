import { describe, expect, it } from 'vitest';
import { listeningPorts, variableName } from '../../../src/engine/checks/docker/answers.js';

// container.answers reads the listening ports of the app's network namespace from /proc/net/tcp and
// tcp6, as a debug container joined to it prints them.
describe('listeningPorts', () => {
  it('keeps sockets in LISTEN state (0A), from IPv4 and IPv6 tables, each port once and in order', () => {
    const tcp = [
      '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
      '   0: 00000000:2469 00000000:0000 0A 00000000:00000000 00:00000000 00000000 65532        0 1 1 0000000000000000 100 0 0 10 0',
      '   1: 0100007F:1F90 0100007F:C350 01 00000000:00000000 00:00000000 00000000 65532        0 2 1 0000000000000000 20 4 30 10 -1',
    ].join('\n');
    const tcp6 = [
      '  sl  local_address                         remote_address                        st tx_queue rx_queue',
      '   0: 00000000000000000000000000000000:2469 00000000000000000000000000000000:0000 0A 00000000:00000000',
      '   1: 00000000000000000000000000000000:0050 00000000000000000000000000000000:0000 0A 00000000:00000000',
    ].join('\n');
    expect(listeningPorts(`${tcp}\n${tcp6}`)).toEqual([80, 9321]);
  });
  it('finds none in an empty table or unrelated text', () => {
    expect(listeningPorts('Name:\tserver\nUid:\t65532\t65532\t65532\t65532\n')).toEqual([]);
  });
});

describe('variableName', () => {
  it('reads the name however a learner writes it: bare, with $, in braces, or with its value', () => {
    expect(['DATA_DIR', ' $DATA_DIR', '${DATA_DIR}', 'DATA_DIR=/var/lib/notes', '$DATA_DIR=/a=b'].map(variableName)).toEqual([
      'DATA_DIR',
      'DATA_DIR',
      'DATA_DIR',
      'DATA_DIR',
      'DATA_DIR',
    ]);
  });
  it('leaves what is not a name as it is, for the verdict to say so', () => {
    expect(variableName('the data dir')).toBe('the data dir');
  });
});
