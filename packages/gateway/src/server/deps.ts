import type { Clock, LiveEvents, Notifier, Profile, Store } from '@companion-guard/core';
import type { Logger } from '../logger.js';
import type { Authenticator } from './auth/authorization.js';
import type { HostCheckOptions } from './auth/host-check.js';
import type { StaffAuth } from './auth/staff-auth.js';
import type { ChatService } from './chat/chat-service.js';
import type { ReceiptSigner } from './data-rights/deletion-service.js';
import type { IncidentService } from './incidents/incident-service.js';

/** What the HTTP app is built from; the composition root (`cli/serve.ts`) provides it. */
export interface AppDeps {
  readonly store: Store;
  /** Live events shared by the instances (incident queue, operator messages, exits). */
  readonly events: LiveEvents;
  readonly clock: Clock;
  /** The deployment's policy profile. */
  readonly profile: Profile;
  readonly chat: ChatService;
  /** Incidents (the chat service shares this one). */
  readonly incidents: IncidentService;
  /** Notifications to contacts and on-call operators (RISK-5). */
  readonly notifier: Notifier;
  readonly auth: Authenticator;
  /** Staff sign-in and sessions (the authenticator checks sessions through it too). */
  readonly staff: StaffAuth;
  /** The `Host`/`Origin` names served (DNS-rebinding and cross-site protection). */
  readonly hosts: HostCheckOptions;
  readonly logger: Logger;
  readonly maxBodyBytes: number;
  readonly defaultCharacterId: string;
  /** Signs deletion receipts (DATA-4): the Ed25519 key of `storage/signing-key.ts`, never in the database. */
  readonly signingKey: ReceiptSigner;
  /** The console build to serve at `/` and `/console`, or null. */
  readonly consoleDir: string | null;
}
