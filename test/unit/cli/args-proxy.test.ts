/** `qmp-monitor proxy` and `--direct` on the command line. */
import { describe, expect, it } from 'vitest';
import { parseCliArgs } from '../../../electron/cli/args';
import { UsageError } from '../../../electron/cli/cli-errors';

describe('proxy and --direct arguments', () => {
  it('reads one unix and one tcp --listen', () => {
    expect(parseCliArgs(['proxy', '/tmp/vm.sock', '--listen', 'unix:/run/x.sock', '--listen', 'tcp:127.0.0.1:0'])).toMatchObject({
      kind: 'proxy',
      target: '/tmp/vm.sock',
      listen: [
        { kind: 'unix', path: '/run/x.sock' },
        { kind: 'tcp', port: 0 },
      ],
    });
  });

  it.each([
    [['proxy', '/tmp/vm.sock'], /needs --listen/],
    [['proxy', '/tmp/vm.sock', '--listen', 'tcp:0.0.0.0:1'], /127\.0\.0\.1 only/],
    [['proxy', '/tmp/vm.sock', '--listen', 'tcp:127.0.0.1:70000'], /outside 0-65535/],
    [['proxy', '/tmp/vm.sock', '--listen', 'unix:/a', '--listen', 'unix:/b'], /at most one unix/],
    [['proxy', '/tmp/vm.sock', '--listen', 'bogus'], /expected unix:PATH or tcp:127\.0\.0\.1:PORT/],
    [['proxy', '/tmp/vm.sock', '--direct', '--listen', 'unix:/a'], /--direct does not apply to 'proxy'/],
    [['exec', '/tmp/vm.sock', 'stop', '--listen', 'unix:/a'], /--listen does not apply to 'exec'/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseCliArgs(argv)).toThrow(UsageError);
    expect(() => parseCliArgs(argv)).toThrow(message);
  });

  it('takes --direct for exec, events and shell', () => {
    expect(parseCliArgs(['exec', '/tmp/vm.sock', 'stop', '--direct'])).toMatchObject({ kind: 'exec', direct: true });
    expect(parseCliArgs(['events', '/tmp/vm.sock', '--direct'])).toMatchObject({ kind: 'events', direct: true });
    expect(parseCliArgs(['shell', '/tmp/vm.sock'])).toMatchObject({ kind: 'shell', direct: false });
  });
});
