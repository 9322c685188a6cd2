import type {
  Clock,
  ConsentRequestOutcome,
  LiveEvents,
  Notifier,
  Profile,
  ProfileBook,
  Store,
  UserRecord,
} from '@companion-guard/core';
import type { AuditTrailView } from '../audit/audit-trail-verifier.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import type { DeploymentFacts } from '../reports/assessment-report.js';
import type { Authenticator } from './auth/authorization.js';
import type { GuardianAuth } from './auth/guardian-auth.js';
import type { HostCheckOptions } from './auth/host-check.js';
import type { StaffAuth } from './auth/staff-auth.js';
import type { ChatService } from './chat/chat-service.js';
import type { ServiceControls } from './controls/service-controls.js';
import type { ReceiptSigner } from './data-rights/deletion-service.js';
import type { GuardianConsentService } from './guardians/guardian-consent.js';
import type { IncidentService } from './incidents/incident-service.js';
import type { RateLimits } from './limits/rate-limits.js';
import type { StatsService } from './stats/stats-service.js';

/**
 * MINOR-2: asks a minor's guardian to consent (sends the link through the notifier). `outlook` (read only)
 * says before the turn what asking would do, for the `consent-required` text; `request` is fired, not
 * awaited, after every turn refused for missing consent (the store decides how often a request actually
 * goes out); a failure is logged, the gate holds.
 */
export interface GuardianConsentRequester {
  outlook(user: UserRecord, now: number): Promise<ConsentRequestOutcome>;
  request(userId: string, now: number): Promise<unknown>;
}

/** What the HTTP app is built from; the composition root (`cli/serve.ts`) provides it. */
export interface AppDeps {
  readonly store: Store;
  /** Live events shared by the instances (incident queue, operator messages, exits). */
  readonly events: LiveEvents;
  readonly clock: Clock;
  /** The deployment's default policy profile: deployment-wide settings (use `profiles.forUser` per user). */
  readonly profile: Profile;
  /** SCOPE-2: the profile per user (`profiles.forUser(user)`, from the registered region). */
  readonly profiles: ProfileBook;
  readonly chat: ChatService;
  /** Incidents (the chat service shares this one). */
  readonly incidents: IncidentService;
  /** Notifications to contacts and on-call operators (RISK-5). */
  readonly notifier: Notifier;
  readonly auth: Authenticator;
  /** Staff sign-in and sessions (the authenticator checks sessions through it too). */
  readonly staff: StaffAuth;
  /** Guardian sign-in by one-time code (MINOR-4); without it and `guardianConsent` no guardian route is served. */
  readonly guardianAuth?: GuardianAuth | undefined;
  /** The guardian consent flow (MINOR-2): `request(userId, now)` asks a minor's guardian for consent. */
  readonly guardianConsent?: GuardianConsentService | undefined;
  /** The `Host`/`Origin` names served (DNS-rebinding and cross-site protection). */
  readonly hosts: HostCheckOptions;
  readonly logger: Logger;
  readonly maxBodyBytes: number;
  readonly defaultCharacterId: string;
  /** Signs deletion receipts (DATA-4): the Ed25519 key of `storage/signing-key.ts`, never in the database. */
  readonly signingKey: ReceiptSigner;
  /** The console build to serve at `/` and `/console`, or null. */
  readonly consoleDir: string | null;
  /** LOG-1: verifies the audit chain against the signed checkpoints, for auditors. */
  readonly auditTrail: AuditTrailView;
  /** Prometheus metrics (`GET /metrics`) and who may read them. */
  readonly metrics: Metrics;
  /** Config `metrics.token`: when set, `/metrics` needs it as a bearer token and any peer may ask. */
  readonly metricsToken: string | null;
  /** NOTICE-1, ASSESS-3: service notices and switches (the chat service shares this one). */
  readonly controls: ServiceControls;
  /** ASSESS-2: what the config puts in force beside the profile (guard models, alert channels), for reports. */
  readonly deployment?: DeploymentFacts | undefined;
  /** ASSESS-1/2: figures and triggers (default: one over `store` without a compliance contact). */
  readonly stats?: StatsService | undefined;
  /** Turns and new sessions per user and per key (default: the default limits, counted in memory). */
  readonly limits?: RateLimits | undefined;
}

/** `AppDeps` once `createApp` has filled in its defaults: what the routes are given. */
export type RouteDeps = AppDeps & { readonly stats: StatsService; readonly limits: RateLimits };
