/**
 * Service notices (NOTICE-1) and switches (ASSESS-3): compliance staff announce in advance that a character,
 * a function or the whole service is withdrawn, the gateway announces an outage of the upstream model itself,
 * and staff switch a character, a function or the whole service off (and on again) with a reason. Pure types
 * and rules here; the store keeps the records (`Store.controls`), the gateway keeps a snapshot per instance.
 */

import type { Profile } from '../policy/profile-schema.js';
import type { AuditInput } from '../ports.js';
import type { LocalizedText } from '../types.js';

/** What a notice is about: a character, a function (e.g. `voice`), the whole service, or an outage. */
export type NoticeScope = 'character' | 'function' | 'service' | 'outage';

/** The scopes staff schedule (an outage notice is the gateway's own). */
export type PlannedNoticeScope = Exclude<NoticeScope, 'outage'>;

/** What a switch turns off: a character, a function, or the whole service. */
export type SwitchScope = 'character' | 'function' | 'service';

export interface ServiceNotice {
  readonly id: string;
  readonly scope: NoticeScope;
  /** The character id or function name; '' for the service and an outage. */
  readonly target: string;
  /** When the withdrawal takes effect; for an outage, since when the model has been failing. */
  readonly effectiveAt: number;
  readonly createdAt: number;
  /** The staff id who scheduled it, or `gateway` (an outage). */
  readonly createdBy: string;
  /** The staff's note (never shown to users), or null. */
  readonly reason: string | null;
  /** When it was cancelled (an outage: lifted), or null. */
  readonly cancelledAt: number | null;
  /** Who cancelled it (staff id, or `gateway` for a lifted outage), or null. */
  readonly cancelledBy: string | null;
}

/** A switch as it stands: the latest change of (scope, target). */
export interface ServiceSwitch {
  readonly scope: SwitchScope;
  /** The character id or function name; '' for the service. */
  readonly target: string;
  readonly off: boolean;
  /** A new id at every change: users are told once per session about each switch-off. */
  readonly changeId: string;
  /** Why (staff words, never shown to users). */
  readonly reason: string;
  /** Staff id of who changed it. */
  readonly changedBy: string;
  readonly changedAt: number;
}

/**
 * The store of notices and switches (`Store.controls`). Every change commits with its audit event in one
 * transaction: `notice-scheduled`, `notice-cancelled`, `outage-notice-raised`, `outage-notice-lifted`
 * (NOTICE-1), `switch-off`, `switch-on` (ASSESS-3), then the caller's `audit`.
 */
export interface ServiceControlStore {
  /** Stores a planned notice (the caller checked the advance period with `noticeTooSoon`). */
  scheduleNotice(
    notice: {
      id: string;
      scope: PlannedNoticeScope;
      target: string;
      effectiveAt: number;
      reason: string | null;
      staffId: string;
      now: number;
    },
    audit?: readonly AuditInput[],
  ): Promise<ServiceNotice>;
  /** Cancels a notice: `not-found`; `notice-cancelled` when it was cancelled (or lifted) already. */
  cancelNotice(id: string, by: { staffId: string; now: number }): Promise<ServiceNotice>;
  /** Notices, newest first; `open` only those not cancelled. At most `limit` (default 200). */
  listNotices(filter?: { open?: boolean; limit?: number }): Promise<ServiceNotice[]>;
  /**
   * Raises the outage notice (at most one is open across instances): `created: false` returns the open one
   * and writes nothing.
   */
  raiseOutage(outage: {
    id: string;
    failingSince: number;
    now: number;
  }): Promise<{ notice: ServiceNotice; created: boolean }>;
  /** Lifts the open outage notice; null (nothing written) when none is open. */
  liftOutage(now: number): Promise<ServiceNotice | null>;
  /**
   * Switches (scope, target) off or on with a reason. `switch-unchanged` when it already stands so (a switch
   * never set is on).
   */
  setSwitch(change: {
    scope: SwitchScope;
    target: string;
    off: boolean;
    changeId: string;
    reason: string;
    staffId: string;
    now: number;
  }): Promise<ServiceSwitch>;
  /** Every switch ever set, as it stands, latest change first. */
  listSwitches(): Promise<ServiceSwitch[]>;
}

/** What one instance holds in memory: every switch and the notices not cancelled. */
export interface ControlsSnapshot {
  readonly switches: readonly ServiceSwitch[];
  readonly notices: readonly ServiceNotice[];
}

export const emptyControls: ControlsSnapshot = { switches: [], notices: [] };

/** Something switched off, by a staff switch or by a withdrawal notice that took effect. */
export interface OffTarget {
  readonly scope: SwitchScope;
  readonly target: string;
  /** The switch's change id or the notice id. */
  readonly id: string;
  readonly by: 'switch' | 'notice';
  readonly since: number;
  /** The character's or function's name; null for the service. */
  readonly name: LocalizedText | null;
}

/** A notice a turn shows, with the name of its character or function. */
export interface TurnNotice {
  readonly notice: ServiceNotice;
  readonly name: LocalizedText | null;
}

/** What the switches and notices mean for one turn to one character (SessionContext.controls). */
export interface TurnControls {
  /** The service or the turn's character is off: the turn is answered with `feature-off`, never the model. */
  readonly off: OffTarget | null;
  /** Functions switched off (`memory`: the session history is not sent to the model). */
  readonly functionsOff: readonly OffTarget[];
  /** Notices to show: planned ones before their effective time, the open outage. */
  readonly notices: readonly TurnNotice[];
}

/** Names of characters and functions for the texts. */
export interface ControlNames {
  character(id: string): LocalizedText | null;
  functionName(id: string): LocalizedText | null;
}

const isPlanned = (n: ServiceNotice) => n.scope !== 'outage';

/**
 * What is off, by switches and by withdrawal notices whose effective time has passed (a withdrawn character
 * or function really stops then; cancelling the notice brings it back). Ordered: the service first.
 */
export function offTargets(snapshot: ControlsSnapshot, now: number, names: ControlNames): OffTarget[] {
  const off = new Map<string, OffTarget>();
  const nameOf = (scope: SwitchScope, target: string) =>
    scope === 'character'
      ? names.character(target)
      : scope === 'function'
        ? names.functionName(target)
        : null;
  for (const s of snapshot.switches) {
    if (!s.off) continue;
    off.set(`${s.scope}:${s.target}`, {
      scope: s.scope,
      target: s.target,
      id: s.changeId,
      by: 'switch',
      since: s.changedAt,
      name: nameOf(s.scope, s.target),
    });
  }
  for (const n of snapshot.notices) {
    if (!isPlanned(n) || n.cancelledAt !== null || n.effectiveAt > now) continue;
    const scope = n.scope as SwitchScope;
    const key = `${scope}:${n.target}`;
    if (!off.has(key)) {
      off.set(key, {
        scope,
        target: n.target,
        id: n.id,
        by: 'notice',
        since: n.effectiveAt,
        name: nameOf(scope, n.target),
      });
    }
  }
  const order: Record<SwitchScope, number> = { service: 0, character: 1, function: 2 };
  return [...off.values()].sort(
    (a, b) => order[a.scope] - order[b.scope] || a.target.localeCompare(b.target),
  );
}

/**
 * The controls of one turn to `characterId` at `now`: what is off, and which notices concern the user — a
 * character's notice only those who chat with it; function, service and outage notices everybody.
 */
export function turnControls(
  snapshot: ControlsSnapshot,
  characterId: string,
  now: number,
  names: ControlNames,
): TurnControls {
  if (snapshot.switches.length === 0 && snapshot.notices.length === 0) return noControls;
  const off = offTargets(snapshot, now, names);
  const notices: TurnNotice[] = [];
  for (const n of snapshot.notices) {
    if (n.cancelledAt !== null) continue;
    if (isPlanned(n) && n.effectiveAt <= now) continue;
    if (n.scope === 'character' && n.target !== characterId) continue;
    const name =
      n.scope === 'character'
        ? names.character(n.target)
        : n.scope === 'function'
          ? names.functionName(n.target)
          : null;
    notices.push({ notice: n, name });
  }
  return {
    off:
      off.find((o) => o.scope === 'service') ??
      off.find((o) => o.scope === 'character' && o.target === characterId) ??
      null,
    functionsOff: off.filter((o) => o.scope === 'function'),
    notices,
  };
}

export const noControls: TurnControls = { off: null, functionsOff: [], notices: [] };

const DAY = 86_400_000;

/**
 * NOTICE-1: the days of advance a planned notice needs short of which it is refused, or null when
 * `effectiveAt` leaves enough (the profile's `notices.minAdvanceDays` for the scope).
 */
export function noticeTooSoon(
  profile: Profile,
  scope: PlannedNoticeScope,
  effectiveAt: number,
  now: number,
): number | null {
  const days = profile.notices.minAdvanceDays[scope];
  return effectiveAt - now >= days * DAY ? null : days;
}
