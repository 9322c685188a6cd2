import { randomUUID } from 'node:crypto';
import {
  type Clock,
  type ControlNames,
  type ControlsSnapshot,
  emptyControls,
  type LiveEvents,
  type LocalizedText,
  type OffTarget,
  offTargets,
  type Store,
  type TurnControls,
  type TurnNotice,
  turnControls,
  type Unsubscribe,
} from '@companion-guard/core';
import type { Logger } from '../../logger.js';
import { shareEvent } from '../events/share-event.js';

/** A function staff can switch off (`controls.functions` in the config). `memory` the gateway enforces itself. */
export interface FunctionSpec {
  readonly id: string;
  readonly name: LocalizedText;
}

/** The live channel on which a change of notices or switches reaches every instance. */
export const controlsChannel = 'service-controls';

/**
 * This instance's view of the service notices (NOTICE-1) and switches (ASSESS-3): a snapshot in memory, so a
 * chat turn pays no store round trip for them. A change made on any instance reloads it everywhere through the
 * live events; a periodic refresh covers a missed event. It also watches the upstream model: when calls have
 * failed for `outageAfterMs`, it raises the outage notice; the next successful call lifts it.
 */
export interface ServiceControls {
  /** The functions declared in the configuration. */
  readonly functions: readonly FunctionSpec[];
  /** Completed loads so far (tests wait for another instance's reload). */
  readonly loads: number;
  /** Loads the snapshot, subscribes to changes and starts the periodic refresh. */
  start(): Promise<void>;
  /** What concerns a turn to `characterId` at `now`: from memory. */
  forTurn(characterId: string, now: number): TurnControls;
  /** The notices shown to users at `now` (any character's), with their names. */
  noticesNow(now: number): TurnNotice[];
  /** Everything switched off at `now` (switches, and withdrawal notices in effect). */
  offNow(now: number): OffTarget[];
  /** Every notice and switch as loaded. */
  snapshot(): ControlsSnapshot;
  /** After a change made here: reloads here and tells every instance. */
  changed(): Promise<void>;
  /** Reloads from the store (coalesced). */
  refresh(): Promise<void>;
  /** A model call failed with an upstream error. Never throws. */
  upstreamFailed(now: number): Promise<void>;
  /** A model call succeeded. Never throws. */
  upstreamOk(now: number): Promise<void>;
  stop(): void;
}

export interface ServiceControlsOptions {
  readonly store: Store;
  readonly events: LiveEvents;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly functions: readonly FunctionSpec[];
  /** NOTICE-1: how long the upstream must have been failing before the outage notice goes up. */
  readonly outageAfterMs: number;
  /** The fallback refresh period. */
  readonly refreshMs: number;
}

export function createServiceControls(options: ServiceControlsOptions): ServiceControls {
  const { store, events, logger } = options;
  let current: ControlsSnapshot = emptyControls;
  let characterNames = new Map<string, LocalizedText>();
  const functionNames = new Map(options.functions.map((f) => [f.id, f.name]));
  const names: ControlNames = {
    character: (id) => characterNames.get(id) ?? null,
    functionName: (id) => functionNames.get(id) ?? null,
  };
  let loads = 0;
  let loading: Promise<void> | null = null;
  let again = false;
  let unsubscribe: Unsubscribe | null = null;
  let timer: ReturnType<typeof setInterval> | null = null;
  /** Since when upstream calls have been failing (this instance's view), or null. */
  let failingSince: number | null = null;

  async function load(): Promise<void> {
    const [switches, notices, characters] = await Promise.all([
      store.controls.listSwitches(),
      store.controls.listNotices({ open: true }),
      store.listCharacters(),
    ]);
    characterNames = new Map(characters.map((c) => [c.id, c.name]));
    current = { switches, notices };
    loads += 1;
  }

  function refresh(): Promise<void> {
    if (loading) {
      // A change arrived while loading: load once more after, so it is not missed.
      again = true;
      return loading;
    }
    loading = (async () => {
      try {
        do {
          again = false;
          await load();
        } while (again);
      } finally {
        loading = null;
      }
    })();
    return loading;
  }

  const quietRefresh = () =>
    refresh().catch((e: unknown) =>
      logger.error('service controls not reloaded', { code: (e as { code?: string }).code ?? 'internal' }),
    );

  const openOutage = () => current.notices.some((n) => n.scope === 'outage' && n.cancelledAt === null);

  async function changed(): Promise<void> {
    await refresh();
    await shareEvent(events, logger, 'service controls change', controlsChannel, {
      type: 'controls-changed',
    });
  }

  return {
    functions: options.functions,
    get loads() {
      return loads;
    },
    async start() {
      unsubscribe = events.subscribe(controlsChannel, () => void quietRefresh());
      await unsubscribe.ready;
      await refresh();
      timer = setInterval(() => void quietRefresh(), options.refreshMs);
      timer.unref();
    },
    forTurn: (characterId, now) => turnControls(current, characterId, now, names),
    offNow: (now) => offTargets(current, now, names),
    noticesNow: (now) =>
      current.notices
        .filter((n) => n.cancelledAt === null && (n.scope === 'outage' || n.effectiveAt > now))
        .map((notice) => ({
          notice,
          name:
            notice.scope === 'character'
              ? names.character(notice.target)
              : notice.scope === 'function'
                ? names.functionName(notice.target)
                : null,
        })),
    snapshot: () => current,
    changed,
    refresh,
    async upstreamFailed(now) {
      failingSince ??= now;
      if (now - failingSince < options.outageAfterMs || openOutage()) return;
      try {
        const { created, notice } = await store.controls.raiseOutage({ id: randomUUID(), failingSince, now });
        if (created) logger.warn('outage notice raised', { noticeId: notice.id, failingSince });
        await changed();
      } catch (e) {
        logger.error('outage notice not raised', { code: (e as { code?: string }).code ?? 'internal' });
      }
    },
    async upstreamOk(now) {
      failingSince = null;
      if (!openOutage()) return;
      try {
        const lifted = await store.controls.liftOutage(now);
        if (lifted) logger.info('outage notice lifted', { noticeId: lifted.id });
        await changed();
      } catch (e) {
        logger.error('outage notice not lifted', { code: (e as { code?: string }).code ?? 'internal' });
      }
    },
    stop() {
      if (timer) clearInterval(timer);
      unsubscribe?.();
    },
  };
}
