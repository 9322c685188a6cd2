import type { Contact } from '../people/user-profile.js';
import type { IncidentReason, IncidentSeverity } from './incident.js';

/** What a notification about an incident needs (RISK-5, ELDER-2): ids and contacts, never conversation text. */
export interface NotifyIncident {
  readonly id: string;
  readonly userId: string;
  readonly externalUserId: string;
  readonly severity: IncidentSeverity;
  readonly reason: IncidentReason;
  readonly openedAt: number;
  readonly contacts: { readonly guardian?: Contact; readonly emergencyContact?: Contact };
}

/**
 * Notifications to the guardian or emergency contact and to on-call operators. Both calls enqueue durably
 * and return without waiting for delivery; a failed channel never blocks the user's reply.
 */
export interface Notifier {
  incidentOpened(incident: NotifyIncident): Promise<void>;
  incidentEscalated(incident: NotifyIncident): Promise<void>;
  /** Delivers what is due at `now`; returns how many attempts were made. */
  deliverDue(now: number): Promise<number>;
}
