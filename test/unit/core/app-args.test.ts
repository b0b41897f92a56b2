import { describe, expect, it } from 'vitest';
import { defaultDataDir, parseAppArgs } from '../../../electron/hosts/app-args';

describe('parseAppArgs', () => {
  it('reads repeatable --connect, --data-dir, --demo in both forms', () => {
    const args = parseAppArgs(['--connect', '/run/a.sock', '--connect=tcp:127.0.0.1:4444', '--data-dir', 'rel/dir', '--demo'], 'web');
    expect(args.connect).toEqual(['/run/a.sock', 'tcp:127.0.0.1:4444']);
    expect(args.dataDir).toBe(`${process.cwd()}/rel/dir`);
    expect(args.demo).toBe(true);
    expect(args.port).toBeUndefined();
  });

  it('ignores Electron/Chromium switches and the app path in the desktop app', () => {
    const args = parseAppArgs(['.', '--no-sandbox', '--inspect=9229', '--enable-logging', '--connect', 'localhost:4444']);
    expect(args).toEqual({ connect: ['localhost:4444'], demo: false, help: false, journal: true });
  });

  it('refuses unknown options in the web bridge', () => {
    expect(() => parseAppArgs(['--conect', 'x'], 'web')).toThrow(/unknown option '--conect'/);
  });

  it('gives clear errors for missing or bad values', () => {
    expect(() => parseAppArgs(['--connect'], 'web')).toThrow('--connect needs a value');
    expect(() => parseAppArgs(['--connect', '--demo'], 'web')).toThrow('--connect needs a value');
    expect(() => parseAppArgs(['--connect', 'nohostport'], 'web')).toThrow(/^--connect: .*nohostport/);
    expect(() => parseAppArgs(['--port', 'abc'], 'web')).toThrow(/--port expects a number 0-65535/);
    expect(() => parseAppArgs(['--port', '70000'], 'web')).toThrow(/--port expects/);
    expect(() => parseAppArgs(['--data-dir='], 'web')).toThrow('--data-dir needs a value');
  });

  it('turns the journal off with --no-journal and bounds it with --journal-max-mb', () => {
    expect(parseAppArgs([], 'web')).toMatchObject({ journal: true });
    expect(parseAppArgs([], 'web')).not.toHaveProperty('journalMaxBytes');
    expect(parseAppArgs(['--no-journal'], 'web')).toMatchObject({ journal: false });
    expect(parseAppArgs(['--journal-max-mb', '50'], 'web')).toMatchObject({ journalMaxBytes: 50 * 1024 * 1024 });
    expect(parseAppArgs(['--journal-max-mb=1', '--no-journal'])).toMatchObject({ journal: false, journalMaxBytes: 1024 * 1024 });
    expect(() => parseAppArgs(['--journal-max-mb', '0'], 'web')).toThrow(/--journal-max-mb expects a whole number of megabytes/);
    expect(() => parseAppArgs(['--journal-max-mb', '1.5'], 'web')).toThrow(/got '1.5'/);
    expect(() => parseAppArgs(['--journal-max-mb'], 'web')).toThrow('--journal-max-mb needs a value');
    expect(parseAppArgs(['--event-log-max-mb', '64'], 'web')).toMatchObject({ eventLogMaxBytes: 64 * 1024 * 1024 });
    expect(parseAppArgs([], 'web')).not.toHaveProperty('eventLogMaxBytes');
    expect(() => parseAppArgs(['--event-log-max-mb', '0'], 'web')).toThrow(/--event-log-max-mb expects a whole number of megabytes 1-65536, got '0'/);
  });

  it('takes --port 0', () => {
    expect(parseAppArgs(['--port', '0'], 'web')).toMatchObject({ port: 0 });
    expect(parseAppArgs(['--port=8080'], 'web')).toMatchObject({ port: 8080 });
  });

  it('has no --host: the web bridge always serves 127.0.0.1', () => {
    expect(() => parseAppArgs(['--host', 'localhost'], 'web')).toThrow(/unknown option '--host'/);
    expect(() => parseAppArgs(['--host=0.0.0.0'], 'web')).toThrow(/unknown option '--host=0.0.0.0'/);
    expect(parseAppArgs(['--host', 'localhost'])).toEqual({ connect: [], demo: false, help: false, journal: true });
  });

  it('keeps --port to the web bridge', () => {
    expect(() => parseAppArgs(['--port', '80'])).toThrow(/only applies to the web bridge/);
  });

  it('reads -h and --help, but not an h inside someone else\'s short group', () => {
    expect(parseAppArgs(['-h'], 'web').help).toBe(true);
    expect(parseAppArgs(['--help']).help).toBe(true);
    expect(parseAppArgs(['-xh']).help).toBe(false);
    expect(() => parseAppArgs(['-xh'], 'web')).toThrow(/unknown option '-xh'/);
  });

  it('refuses positionals and -- in the web bridge, ignores them in the app', () => {
    expect(() => parseAppArgs(['extra'], 'web')).toThrow(/unknown option 'extra'/);
    expect(() => parseAppArgs(['--', '--demo'], 'web')).toThrow(/unknown option '--'/);
    expect(parseAppArgs(['/path/to/app', '--user-data-dir', '/x', '--demo'])).toMatchObject({ demo: true, connect: [] });
  });
});

describe('defaultDataDir', () => {
  it('follows XDG_CONFIG_HOME, else ~/.config', () => {
    expect(defaultDataDir({ XDG_CONFIG_HOME: '/x/cfg' }, '/home/u')).toBe('/x/cfg/qmp-monitor');
    expect(defaultDataDir({}, '/home/u')).toBe('/home/u/.config/qmp-monitor');
    expect(defaultDataDir({ XDG_CONFIG_HOME: 'relative' }, '/home/u')).toBe('/home/u/.config/qmp-monitor');
  });
});
