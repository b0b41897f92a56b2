/**
 * The `--help` text and the short hint printed after usage errors.
 *
 * Kept apart from the parsing code so the wording can be read (and reviewed) in one place.
 */

/** One-line reminder after `error: ...` for usage mistakes. */
export const USAGE_HINT =
  "usage: qmp-monitor [--timeout S] exec|events|shell TARGET ..., or qmp-monitor TARGET  (run 'qmp-monitor --help' for details)";

/** Full help, printed on stdout for `--help`. */
export const HELP_TEXT = `qmp-monitor: talk to a QEMU VM over QMP (QEMU Machine Protocol)

Usage:
  qmp-monitor exec TARGET COMMAND [ARGS_JSON | KEY=VALUE...] [--pretty]
      Run one command; print its "return" value as JSON on stdout. Arguments
      are one JSON object or key=value words read as the shell's shorthand
      (exec /tmp/vm.sock device_del id=vblk0).
  qmp-monitor events TARGET [TARGET...] [--count N] [--event NAME]... [--pretty|--human]
      Print each event as one JSON line, as QEMU sent it (timestamp included),
      until N events were printed or every QEMU closed. Several TARGETs are
      watched at once and their events merged in arrival order, each line then
      starting with "target": TARGET as typed; with several, stderr says
      "closed: TARGET: REASON" when one closes and "error: TARGET: REASON"
      when one fails, and the others go on. Exit 0, or 2 if any TARGET could
      not be connected or broke (protocol error, closed in the middle of a
      message).
  qmp-monitor [shell] TARGET [-H] [-p] [-v] [-l FILE] [--check]
      (TARGET alone opens the shell, as qmp-shell SOCKET does.)
      Read commands from stdin, one per line, as JSON ({"execute": "stop"}) or
      qmp-shell shorthand (device_del id=vblk0, blockdev-add a.b=1 name="a b").
      On a terminal: interactive prompt with history (~/.qmp-monitor_history,
      or $QMP_MONITOR_HISTORY) and Tab completion of commands; events show
      above the line being typed; Ctrl-C clears the line, Ctrl-D quits.
      Otherwise: one JSON line per command on stdout ({"return": ...} or
      {"error": {"class", "desc"}}, with the line's "id" echoed if it had one),
      in input order (commands are pipelined); a line that is neither JSON nor
      shorthand, longer than 1 MiB, or whose command name is not a QMP name of
      at most 128 characters gets a ParseError line (and is not sent); events go
      to stderr as JSON lines; blank lines and # comments are skipped. Exit 0 at end of input, or when QEMU
      closes after an answered 'quit'; exit 2 (after an error line for each
      unanswered command) if the connection is lost.
      As in qmp-shell, a line 'transaction(' opens a block: each next line is
      one action in shorthand (TYPE key=value...), and a line ')' sends them
      as one transaction command (prompt TRANS> on a terminal; Ctrl-C drops
      the block). On a terminal the schema (query-qmp-schema, read once) makes
      Tab complete argument names and enum values too, and a command it finds
      invalid is shown back with the reason instead of sent: Enter again sends
      it anyway. A '!' before a command sends it out of band (exec-oob).
  qmp-monitor proxy TARGET --listen unix:PATH|tcp:127.0.0.1:PORT
      Hold TARGET's monitor (reconnecting when QEMU restarts) and share it:
      every client of the --listen endpoint(s) talks QMP as if it had QEMU
      to itself (its own greeting, negotiation, ids; every event). Give
      --listen once or twice (one unix, one tcp; port 0 picks one). Logs
      clients, their commands and why they left to stderr; registers the
      target so exec/events/shell TARGET go through it. SIGINT/SIGTERM stop it.

When the app or a proxy holds TARGET, exec, events and shell reach it through
its shared endpoint (found in the registry in $QMP_MONITOR_RUNTIME_DIR if set,
else $XDG_RUNTIME_DIR/qmp-monitor/, else /tmp/qmp-monitor-UID/); --verbose says
so on stderr, --direct connects to TARGET itself.

TARGET:
  unix:PATH or a PATH containing '/'      a unix socket (-qmp unix:PATH,server=on)
  tcp:HOST:PORT, HOST:PORT, [::1]:PORT     a TCP socket

Options (before or after the subcommand):
  --timeout S            seconds, default 10. exec: bounds the whole run (connect,
                         greeting, reply). shell: bounds connecting and each
                         command's reply. events: bounds connecting only (then it
                         waits for events for as long as it takes).
  --count N              events: exit after printing N events (all TARGETs).
  --event NAME           events: print only events named NAME, where '*' is any
                         run of characters ('BLOCK_JOB_*'); case-sensitive like
                         QMP names; repeat for several (any may match).
  -p, --pretty           exec, events, shell: indent the JSON output over
                         several lines (default: one line each; the terminal
                         shell always indents).
  --human                events: local time with microseconds, the event
                         name, then its data as JSON (instead of the raw line).
  -H, --hmp              shell: each line is an HMP command (sent through
                         human-monitor-command), its output printed as text.
  -v, --verbose          shell: echo each command exactly as sent (on stderr
                         when piped). exec, events, shell: say on stderr
                         (once) when a shared endpoint is used.
  -l, --log FILE         shell: append each command and its reply to FILE, one
                         JSON object per command (the reply merged in).
  --check                shell, piped: a line the schema finds invalid (unknown
                         command or argument, missing required argument, wrong
                         type or enum value) is not sent; its output line is
                         {"error": {"class": "CheckError", "desc": "not sent: ..."}}.
  --record FILE          exec, events (one TARGET), shell: write the traffic
                         both ways to FILE as JSON Lines, one message a line:
                         {"dir":"out"|"in","t":MS_SINCE_EPOCH,"text":"EXACT TEXT"}.
  --direct               exec, events, shell: connect to TARGET itself, never
                         through a shared endpoint.
  --listen ADDRESS       proxy: unix:PATH or tcp:127.0.0.1:PORT (repeatable).
  --max-message-bytes N  refuse (as a protocol error) any QMP message larger than N
                         bytes (default 64 MiB).
  -h, --help             this text.
  -V, --version          print the version.

Exit codes:
  0  success (events: also when QEMU closes the connection normally)
  1  exec: QEMU answered with an error (printed as "error: CLASS: DESC")
  2  usage error, connection or protocol failure, timeout (one "error:" line;
     events with several TARGETs: one for each TARGET that failed)

Integers beyond 2^53 are kept exact in both directions.`;
