/**
 * A VM's migration, kept live from query-migrate while it moves.
 *
 * QEMU sends MIGRATION and MIGRATION_PASS only when the `events` migration capability is on,
 * and another QMP client may start a migration, so the tracker does not rely on them: it also
 * reads after every command the app sends, on each STOP/RESUME (a migration stops the source
 * at switch-over), every 500 ms while the migration moves and every 3 s while it rests. Reads
 * go straight through the client, so they are no timeline markers.
 */
import type { MigrationView } from '../../common/jobs-models';
import type { JsonValue } from '../../common/json-text';
import type { QmpClient } from '../qmp/qmp-client';
import type { QmpEvent } from '../qmp/types';
import { isMigrationMoving, migrationFromEvent, migrationFromReply } from './migration-view';
import { ClientPoll, POLL_READ_TIMEOUT_MS } from './client-poll';

/** How often a moving migration is read. */
export const MIGRATION_POLL_MS = 500;
/** How often a resting migration is read, to notice one that another client started. */
export const MIGRATION_IDLE_POLL_MS = 3_000;
/** Events after which the migration is read again. */
const REREAD_EVENTS: ReadonlySet<string> = new Set(['MIGRATION', 'MIGRATION_PASS', 'STOP', 'RESUME']);

/** The migration view of one VM. */
export class MigrationTracker {
  private view: MigrationView | undefined;
  private readonly loop: ClientPoll;

  public constructor(
    private readonly onChange: (view: MigrationView | undefined) => void,
    private readonly pollMs = MIGRATION_POLL_MS,
    private readonly idlePollMs = MIGRATION_IDLE_POLL_MS,
  ) {
    this.loop = new ClientPoll((client, stillCurrent) => this.read(client, stillCurrent));
  }

  /** The last view (undefined before the first read). */
  public get current(): MigrationView | undefined {
    return this.view;
  }

  /** A new connection: read the migration state now. */
  public attach(client: QmpClient): void {
    this.loop.attach(client);
  }

  /** The connection is gone: stop reading, keep the last view. */
  public detach(): void {
    this.loop.detach();
  }

  /** Applies a migration event at once and reads again for the numbers. */
  public onEvent(event: QmpEvent, at: number): void {
    const next = migrationFromEvent(this.view, event, at);
    if (next) this.set(next);
    if (REREAD_EVENTS.has(event.event)) this.loop.kick();
  }

  /** A command went out (maybe `migrate`): read soon. */
  public poke(): void {
    this.loop.kick();
  }

  /** Forgets the view (another QEMU behind the same VM now). */
  public clear(): void {
    this.set(undefined);
  }

  private async read(client: QmpClient, stillCurrent: () => boolean): Promise<number | undefined> {
    let reply: JsonValue;
    try {
      reply = await client.execute<JsonValue>('query-migrate', undefined, { timeoutMs: POLL_READ_TIMEOUT_MS });
    } catch {
      // The connection is going (detach follows) or QEMU hung: try again at the resting pace.
      return stillCurrent() ? this.idlePollMs : undefined;
    }
    if (!stillCurrent()) return undefined;
    this.set(migrationFromReply(this.view, reply, Date.now()));
    return isMigrationMoving(this.view) ? this.pollMs : this.idlePollMs;
  }

  private set(view: MigrationView | undefined): void {
    const before = JSON.stringify(this.view);
    this.view = view;
    if (JSON.stringify(view) !== before) this.onChange(view);
  }
}
