import { type Kysely, type Migration, type MigrationProvider, sql } from 'kysely';
import type { SqlDialectName } from './sql-dialect.js';

/**
 * The store's migrations, defined in code (nothing is read from disk, so a bundled or installed gateway
 * migrates the same way). Names sort in order of application. Never edit an applied migration: add one.
 *
 * These run on a Kysely without the CamelCasePlugin, so every name here is the real snake_case SQL name.
 */
export function storeMigrations(dialect: SqlDialectName): Record<string, Migration> {
  const pg = dialect === 'postgres';
  const epochMs = pg ? 'bigint' : 'integer';
  const bytes = pg ? 'bytea' : 'blob';

  return {
    '0001-initial': {
      async up(db: Kysely<unknown>): Promise<void> {
        const schema = db.schema;

        await schema
          .createTable('users')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('external_id', 'text', (c) => c.notNull().unique())
          .addColumn('locale', 'text', (c) => c.notNull())
          .addColumn('age_band', 'text', (c) => c.notNull())
          .addColumn('created_at', epochMs, (c) => c.notNull())
          .execute();

        await schema
          .createTable('user_keys')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('user_id', 'text', (c) => c.notNull().unique())
          .addColumn('wrapped_key', bytes, (c) => c.notNull())
          .addColumn('created_at', epochMs, (c) => c.notNull())
          .execute();

        await schema
          .createTable('characters')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('description', 'text', (c) => c.notNull())
          .addColumn('scope', 'text', (c) => c.notNull())
          .addColumn('relation', 'text', (c) => c.notNull())
          .addColumn('persona', 'text', (c) => c.notNull())
          .addColumn('model', 'text')
          .addColumn('enabled', 'integer', (c) => c.notNull())
          .addColumn('updated_at', epochMs, (c) => c.notNull())
          .execute();

        await schema
          .createTable('sessions')
          .addColumn('seq', pg ? 'bigint' : 'integer', (c) =>
            pg ? c.generatedByDefaultAsIdentity().primaryKey() : c.primaryKey(),
          )
          .addColumn('id', 'text', (c) => c.notNull().unique())
          .addColumn('user_id', 'text', (c) => c.notNull())
          .addColumn('character_id', 'text', (c) => c.notNull())
          .addColumn('state', 'text', (c) => c.notNull())
          .addColumn('version', 'integer', (c) => c.notNull())
          .addColumn('created_at', epochMs, (c) => c.notNull())
          .addColumn('updated_at', epochMs, (c) => c.notNull())
          .execute();
        await schema
          .createIndex('sessions_user_character_seq')
          .on('sessions')
          .columns(['user_id', 'character_id', 'seq'])
          .execute();
        await schema
          .createIndex('sessions_user_updated')
          .on('sessions')
          .columns(['user_id', 'updated_at', 'seq'])
          .execute();

        await schema
          .createTable('messages')
          .addColumn('seq', pg ? 'bigint' : 'integer', (c) =>
            pg ? c.generatedByDefaultAsIdentity().primaryKey() : c.primaryKey(),
          )
          .addColumn('id', 'text', (c) => c.notNull().unique())
          .addColumn('session_id', 'text', (c) => c.notNull().references('sessions.id'))
          .addColumn('user_id', 'text', (c) => c.notNull())
          .addColumn('role', 'text', (c) => c.notNull())
          .addColumn('content', bytes, (c) => c.notNull())
          .addColumn('key_id', 'text', (c) => c.notNull())
          .addColumn('content_id', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('created_at', epochMs, (c) => c.notNull())
          .execute();
        await schema
          .createIndex('messages_session_seq')
          .on('messages')
          .columns(['session_id', 'seq'])
          .execute();
        await schema.createIndex('messages_user').on('messages').column('user_id').execute();

        await schema
          .createTable('audit_events')
          .addColumn('seq', pg ? 'bigint' : 'integer', (c) => c.primaryKey())
          .addColumn('type', 'text', (c) => c.notNull())
          .addColumn('requirement', 'text', (c) => c.notNull())
          .addColumn('at', epochMs, (c) => c.notNull())
          .addColumn('user_id', 'text')
          .addColumn('session_id', 'text')
          .addColumn('data', 'text', (c) => c.notNull())
          .addColumn('prev_hash', 'text', (c) => c.notNull())
          .addColumn('hash', 'text', (c) => c.notNull())
          .execute();
        await schema
          .createIndex('audit_events_session_seq')
          .on('audit_events')
          .columns(['session_id', 'seq'])
          .execute();

        await schema
          .createTable('audit_head')
          .addColumn('id', 'integer', (c) => c.primaryKey())
          .addColumn('seq', pg ? 'bigint' : 'integer', (c) => c.notNull())
          .addColumn('hash', 'text', (c) => c.notNull())
          .execute();
        await sql`insert into audit_head (id, seq, hash) values (1, 0, ${'0'.repeat(64)})`.execute(db);

        await schema
          .createTable('api_keys')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('label', 'text', (c) => c.notNull())
          .addColumn('hash', 'text', (c) => c.notNull().unique())
          .addColumn('created_at', epochMs, (c) => c.notNull())
          .addColumn('revoked_at', epochMs)
          .execute();

        await schema
          .createTable('store_meta')
          .addColumn('name', 'text', (c) => c.primaryKey())
          .addColumn('value', 'text', (c) => c.notNull())
          .execute();
      },
    },
    '0002-staff': {
      // Staff accounts, console sessions, and who manages each character (config file or console).
      async up(db: Kysely<unknown>): Promise<void> {
        const schema = db.schema;
        await schema
          .alterTable('characters')
          .addColumn('managed_by', 'text', (c) => c.notNull().defaultTo('config'))
          .execute();

        await schema
          .createTable('staff')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('email', 'text', (c) => c.notNull().unique())
          .addColumn('role', 'text', (c) => c.notNull())
          .addColumn('password_hash', 'text', (c) => c.notNull())
          .addColumn('totp_seed', bytes)
          .addColumn('totp_last_step', epochMs)
          .addColumn('disabled', 'integer', (c) => c.notNull())
          .addColumn('failed_logins', 'integer', (c) => c.notNull())
          .addColumn('locked_until', epochMs)
          .addColumn('created_at', epochMs, (c) => c.notNull())
          .addColumn('last_login_at', epochMs)
          .execute();

        await schema
          .createTable('staff_sessions')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('staff_id', 'text', (c) => c.notNull().references('staff.id'))
          .addColumn('token_hash', 'text', (c) => c.notNull().unique())
          .addColumn('created_at', epochMs, (c) => c.notNull())
          .addColumn('last_seen_at', epochMs, (c) => c.notNull())
          .addColumn('revoked_at', epochMs)
          .execute();
        await schema.createIndex('staff_sessions_staff').on('staff_sessions').column('staff_id').execute();
      },
    },
    '0003-user-profiles': {
      // REG-1 profiles: the age facts, region and time zone beside the user; contacts sealed in their own rows.
      async up(db: Kysely<unknown>): Promise<void> {
        const columns: [string, string][] = [
          ['birth_date', 'text'],
          ['declared_age', 'integer'],
          ['age_declared_at', epochMs],
          ['region', 'text'],
          ['time_zone', 'text'],
          ['profile_updated_at', epochMs],
        ];
        // One column per statement: SQLite adds only one at a time.
        for (const [name, type] of columns) {
          await db.schema.alterTable('users').addColumn(name, sql.raw(type)).execute();
        }
        await db.schema
          .createTable('user_contacts')
          .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('sealed', bytes, (c) => c.notNull())
          .addColumn('key_id', 'text', (c) => c.notNull())
          .addColumn('updated_at', epochMs, (c) => c.notNull())
          .addPrimaryKeyConstraint('user_contacts_pk', ['user_id', 'kind'])
          .execute();
      },
    },
    '0004-incidents': {
      // Incidents and their time lines (RISK-4..6), operators' duty, and who wrote each message.
      async up(db: Kysely<unknown>): Promise<void> {
        const schema = db.schema;
        await schema
          .createTable('incidents')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('user_id', 'text', (c) => c.notNull())
          .addColumn('external_user_id', 'text', (c) => c.notNull())
          .addColumn('session_id', 'text')
          .addColumn('character_id', 'text')
          .addColumn('severity', 'text', (c) => c.notNull())
          .addColumn('reason', 'text', (c) => c.notNull())
          .addColumn('state', 'text', (c) => c.notNull())
          .addColumn('signals', 'text', (c) => c.notNull())
          .addColumn('age_band', 'text', (c) => c.notNull())
          .addColumn('opened_at', epochMs, (c) => c.notNull())
          .addColumn('updated_at', epochMs, (c) => c.notNull())
          .addColumn('claimed_at', epochMs)
          .addColumn('claimed_by', 'text')
          .addColumn('escalated_at', epochMs)
          .addColumn('first_human_message_at', epochMs)
          .addColumn('contact_notified_at', epochMs)
          .addColumn('handed_back_at', epochMs)
          .addColumn('closed_at', epochMs)
          .addColumn('outcome', 'text')
          .addColumn('version', 'integer', (c) => c.notNull())
          // The user's id while the incident is active, null once closed: one active incident per user.
          .addColumn('active_user_id', 'text', (c) => c.unique())
          .execute();
        await schema.createIndex('incidents_opened').on('incidents').column('opened_at').execute();
        await schema
          .createTable('incident_events')
          .addColumn('seq', pg ? 'bigint' : 'integer', (c) =>
            pg ? c.generatedByDefaultAsIdentity().primaryKey() : c.primaryKey(),
          )
          .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id'))
          .addColumn('type', 'text', (c) => c.notNull())
          .addColumn('at', epochMs, (c) => c.notNull())
          .addColumn('actor', 'text')
          // Operator text (a note, a hand-back instruction) sealed under the user's data key, or null.
          .addColumn('sealed', bytes)
          .addColumn('key_id', 'text')
          .execute();
        await schema
          .createIndex('incident_events_incident')
          .on('incident_events')
          .columns(['incident_id', 'seq'])
          .execute();
        await schema
          .alterTable('staff')
          .addColumn('on_duty', 'integer', (c) => c.notNull().defaultTo(0))
          .execute();
        await schema.alterTable('messages').addColumn('author', 'text').execute();
        await schema
          .createIndex('messages_user_status')
          .on('messages')
          .columns(['user_id', 'status'])
          .execute();
      },
    },
    '0005-notifications': {
      // The notification outbox (RISK-4, RISK-5, ELDER-2): targets sealed under the user's data key.
      async up(db: Kysely<unknown>): Promise<void> {
        const schema = db.schema;
        await schema
          .createTable('notifications')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
          .addColumn('incident_id', 'text', (c) => c.notNull())
          .addColumn('user_id', 'text', (c) => c.notNull())
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('audience', 'text', (c) => c.notNull())
          .addColumn('channel', 'text', (c) => c.notNull())
          .addColumn('requirement', 'text', (c) => c.notNull())
          .addColumn('sealed', bytes, (c) => c.notNull())
          .addColumn('key_id', 'text', (c) => c.notNull())
          .addColumn('state', 'text', (c) => c.notNull())
          .addColumn('attempts', 'integer', (c) => c.notNull())
          .addColumn('due_at', epochMs, (c) => c.notNull())
          .addColumn('created_at', epochMs, (c) => c.notNull())
          .addColumn('updated_at', epochMs, (c) => c.notNull())
          .execute();
        await schema
          .createIndex('notifications_state_due')
          .on('notifications')
          .columns(['state', 'due_at'])
          .execute();
        await schema
          .createIndex('notifications_incident')
          .on('notifications')
          .column('incident_id')
          .execute();
        await schema
          .createTable('notification_attempts')
          .addColumn('notification_id', 'text', (c) => c.notNull().references('notifications.id'))
          .addColumn('attempt', 'integer', (c) => c.notNull())
          .addColumn('at', epochMs, (c) => c.notNull())
          .addColumn('outcome', 'text', (c) => c.notNull())
          .addColumn('error_code', 'text')
          .addPrimaryKeyConstraint('notification_attempts_pk', ['notification_id', 'attempt'])
          .execute();
      },
    },
    '0006-minors': {
      // Minor mode (MINOR-1..5): per-user state and daily use; no text. `users.minor_mode` lets the chat
      // path skip the minor store for users it does not concern.
      async up(db: Kysely<unknown>): Promise<void> {
        const schema = db.schema;
        await schema
          .alterTable('users')
          .addColumn('minor_mode', 'integer', (c) => c.notNull().defaultTo(0))
          .execute();
        await schema
          .createTable('minor_states')
          .addColumn('user_id', 'text', (c) => c.primaryKey())
          .addColumn('mode', 'text', (c) => c.notNull())
          .addColumn('reason', 'text')
          .addColumn('since', epochMs)
          .addColumn('ends_on', 'text')
          .addColumn('suspicion', pg ? 'double precision' : 'real', (c) => c.notNull())
          .addColumn('controls', 'text', (c) => c.notNull())
          .addColumn('consent_at', epochMs)
          .addColumn('consent_method', 'text')
          .addColumn('consent_policy_version', 'text')
          .addColumn('consent_revoked_at', epochMs)
          .addColumn('last_usage_at', epochMs)
          .addColumn('updated_at', epochMs, (c) => c.notNull())
          .execute();
        await schema
          .createTable('minor_usage')
          .addColumn('user_id', 'text', (c) => c.notNull())
          .addColumn('day', 'text', (c) => c.notNull())
          .addColumn('used_ms', epochMs, (c) => c.notNull())
          .addColumn('characters', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('minor_usage_pk', ['user_id', 'day'])
          .execute();
      },
    },
    '0007-guardians': {
      // MINOR-2, MINOR-4: guardians found by a keyed blind index of their contact; codes and sessions hashed.
      async up(db: Kysely<unknown>): Promise<void> {
        const schema = db.schema;
        await schema
          .createTable('guardian_links')
          .addColumn('user_id', 'text', (c) => c.notNull())
          .addColumn('channel', 'text', (c) => c.notNull())
          .addColumn('guardian_id', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('guardian_links_pk', ['user_id', 'channel'])
          .execute();
        await schema
          .createIndex('guardian_links_guardian')
          .on('guardian_links')
          .column('guardian_id')
          .execute();
        await schema
          .createTable('guardian_codes')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('guardian_id', 'text', (c) => c.notNull())
          .addColumn('purpose', 'text', (c) => c.notNull())
          .addColumn('user_id', 'text')
          .addColumn('secret_hash', 'text', (c) => c.notNull())
          .addColumn('attempts', 'integer', (c) => c.notNull())
          .addColumn('created_at', epochMs, (c) => c.notNull())
          .addColumn('expires_at', epochMs, (c) => c.notNull())
          .addColumn('used_at', epochMs)
          .execute();
        await schema
          .createIndex('guardian_codes_guardian')
          .on('guardian_codes')
          .columns(['guardian_id', 'purpose', 'created_at'])
          .execute();
        await schema
          .createTable('guardian_sessions')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('guardian_id', 'text', (c) => c.notNull())
          .addColumn('channel', 'text', (c) => c.notNull())
          .addColumn('token_hash', 'text', (c) => c.notNull().unique())
          .addColumn('created_at', epochMs, (c) => c.notNull())
          .addColumn('last_seen_at', epochMs, (c) => c.notNull())
          .addColumn('revoked_at', epochMs)
          .execute();
      },
    },
    '0008-data-rights': {
      // DATA-2..7: data keys per (user, character) — `character_id` '' is the user-wide key that seals
      // contacts and the messages written before this migration —, consent records, deletion receipts.
      async up(db: Kysely<unknown>): Promise<void> {
        const schema = db.schema;
        if (pg) {
          await sql`alter table user_keys drop constraint user_keys_user_id_key`.execute(db);
          await sql`alter table user_keys add column character_id text not null default ''`.execute(db);
        } else {
          // SQLite cannot drop the column's UNIQUE constraint: rebuild the table (nothing references it).
          await schema
            .createTable('user_keys_0008')
            .addColumn('id', 'text', (c) => c.primaryKey())
            .addColumn('user_id', 'text', (c) => c.notNull())
            .addColumn('character_id', 'text', (c) => c.notNull().defaultTo(''))
            .addColumn('wrapped_key', bytes, (c) => c.notNull())
            .addColumn('created_at', epochMs, (c) => c.notNull())
            .execute();
          await sql`insert into user_keys_0008 (id, user_id, character_id, wrapped_key, created_at)
            select id, user_id, '', wrapped_key, created_at from user_keys`.execute(db);
          await schema.dropTable('user_keys').execute();
          await schema.alterTable('user_keys_0008').renameTo('user_keys').execute();
        }
        await schema
          .createIndex('user_keys_user_character')
          .on('user_keys')
          .columns(['user_id', 'character_id'])
          .unique()
          .execute();

        await schema
          .createTable('consents')
          .addColumn('seq', pg ? 'bigint' : 'integer', (c) =>
            pg ? c.generatedByDefaultAsIdentity().primaryKey() : c.primaryKey(),
          )
          .addColumn('id', 'text', (c) => c.notNull().unique())
          .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('granted', 'integer', (c) => c.notNull())
          .addColumn('text_version', 'text', (c) => c.notNull())
          .addColumn('given_by', 'text', (c) => c.notNull())
          .addColumn('method', 'text', (c) => c.notNull())
          .addColumn('at', epochMs, (c) => c.notNull())
          .execute();
        await schema.createIndex('consents_user').on('consents').columns(['user_id', 'seq']).execute();
        await schema.createIndex('consents_kind').on('consents').columns(['kind', 'user_id']).execute();

        await schema
          .createTable('deletion_receipts')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('user_id', 'text', (c) => c.notNull())
          .addColumn('character_id', 'text')
          .addColumn('at', epochMs, (c) => c.notNull())
          .addColumn('receipt', 'text', (c) => c.notNull())
          .execute();
        await schema
          .createIndex('deletion_receipts_at')
          .on('deletion_receipts')
          .columns(['at', 'id'])
          .execute();
        await schema
          .createIndex('deletion_receipts_user')
          .on('deletion_receipts')
          .columns(['user_id', 'at'])
          .execute();
      },
    },
    '0009-audit-trail': {
      // LOG-1: signed checkpoints of the audit chain (a copy; the file outside the database is the anchor).
      // DATA-1: which master key wraps each data key, so a rotation can re-wrap them under live traffic.
      async up(db: Kysely<unknown>): Promise<void> {
        await db.schema
          .createTable('audit_checkpoints')
          .addColumn('seq', pg ? 'bigint' : 'integer', (c) => c.primaryKey())
          .addColumn('hash', 'text', (c) => c.notNull())
          .addColumn('at', epochMs, (c) => c.notNull())
          .addColumn('key_id', 'text', (c) => c.notNull())
          .addColumn('signature', 'text', (c) => c.notNull())
          .execute();
        await db.schema.alterTable('user_keys').addColumn('master_key_id', 'text').execute();
        await db.schema.createIndex('user_keys_master_key').on('user_keys').column('master_key_id').execute();
      },
    },
    '0010-appeals': {
      // MINOR-5: appeals against minor mode entered on suspicion. The user's words are sealed under the
      // user's data key; `users.appeal_pending` lets the chat path skip the table for everybody else.
      async up(db: Kysely<unknown>): Promise<void> {
        const schema = db.schema;
        await schema
          .alterTable('users')
          .addColumn('appeal_pending', 'integer', (c) => c.notNull().defaultTo(0))
          .execute();
        await schema
          .createTable('appeals')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('user_id', 'text', (c) => c.notNull())
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('sealed', bytes)
          .addColumn('key_id', 'text')
          .addColumn('filed_at', epochMs, (c) => c.notNull())
          .addColumn('decided_at', epochMs)
          .addColumn('decided_by', 'text')
          .addColumn('reason', 'text')
          .addColumn('outcome_shown_at', epochMs)
          .execute();
        await schema.createIndex('appeals_user').on('appeals').columns(['user_id', 'status']).execute();
        await schema.createIndex('appeals_status').on('appeals').columns(['status', 'filed_at']).execute();
      },
    },
    '0011-data-key-refs': {
      // DATA-4: a message names a live data key. The check is deferred to commit, so a turn that sealed
      // under a key a deletion destroyed meanwhile fails its commit (and retries under a fresh key) with no
      // extra query, and a deletion may remove keys before the rows they sealed.
      async up(db: Kysely<unknown>): Promise<void> {
        // Rows whose key is gone can never be read again; none should exist (deletions remove both at once).
        await sql`delete from messages where key_id not in (select id from user_keys)`.execute(db);
        if (pg) {
          await sql`alter table messages add constraint messages_key_id_fk foreign key (key_id)
            references user_keys (id) deferrable initially deferred`.execute(db);
        } else {
          // SQLite adds constraints only by rebuilding the table (nothing references messages).
          await sql`create table messages_0011 (
            seq integer primary key,
            id text not null unique,
            session_id text not null references sessions (id),
            user_id text not null,
            role text not null,
            content blob not null,
            key_id text not null references user_keys (id) deferrable initially deferred,
            content_id text not null,
            status text not null,
            created_at integer not null,
            author text
          )`.execute(db);
          await sql`insert into messages_0011
            (seq, id, session_id, user_id, role, content, key_id, content_id, status, created_at, author)
            select seq, id, session_id, user_id, role, content, key_id, content_id, status, created_at, author
            from messages`.execute(db);
          await db.schema.dropTable('messages').execute();
          await db.schema.alterTable('messages_0011').renameTo('messages').execute();
          await db.schema
            .createIndex('messages_session_seq')
            .on('messages')
            .columns(['session_id', 'seq'])
            .execute();
          await db.schema.createIndex('messages_user').on('messages').column('user_id').execute();
          await db.schema
            .createIndex('messages_user_status')
            .on('messages')
            .columns(['user_id', 'status'])
            .execute();
        }
        // The deletion's check (and its delete by key) finds a key's rows by index.
        await db.schema.createIndex('messages_key').on('messages').column('key_id').execute();
      },
    },
    '0012-complaints': {
      // COMPLAINT-1: complaints, reports and appeals with their published deadlines, and the staff replies.
      // The user's words and the replies are sealed under the user's data key; `users.complaint_reply_pending`
      // lets the chat path skip the tables for everybody else. The MINOR-5 appeals filed before come over as
      // complaints of kind `appeal` (same id and sealed text; deadlines of the cn-2026 defaults).
      async up(db: Kysely<unknown>): Promise<void> {
        const schema = db.schema;
        await schema
          .alterTable('users')
          .addColumn('complaint_reply_pending', 'integer', (c) => c.notNull().defaultTo(0))
          .execute();
        await schema
          .createTable('complaints')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('user_id', 'text', (c) => c.notNull())
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('ref', 'text')
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('sealed', bytes)
          .addColumn('key_id', 'text')
          .addColumn('filed_at', epochMs, (c) => c.notNull())
          .addColumn('acknowledge_by', epochMs, (c) => c.notNull())
          .addColumn('resolve_by', epochMs, (c) => c.notNull())
          .addColumn('acknowledged_at', epochMs)
          .addColumn('assignee', 'text')
          .addColumn('closed_at', epochMs)
          .addColumn('closed_by', 'text')
          .addColumn('reason', 'text')
          .execute();
        await schema
          .createIndex('complaints_user')
          .on('complaints')
          .columns(['user_id', 'filed_at'])
          .execute();
        await schema
          .createIndex('complaints_status')
          .on('complaints')
          .columns(['status', 'filed_at'])
          .execute();
        await schema.createIndex('complaints_filed').on('complaints').column('filed_at').execute();
        await schema
          .createTable('complaint_replies')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('complaint_id', 'text', (c) => c.notNull().references('complaints.id'))
          .addColumn('user_id', 'text', (c) => c.notNull())
          .addColumn('staff_id', 'text', (c) => c.notNull())
          .addColumn('sealed', bytes)
          .addColumn('key_id', 'text')
          .addColumn('at', epochMs, (c) => c.notNull())
          .addColumn('shown_at', epochMs)
          .execute();
        await schema
          .createIndex('complaint_replies_complaint')
          .on('complaint_replies')
          .columns(['complaint_id', 'at'])
          .execute();
        await schema
          .createIndex('complaint_replies_user')
          .on('complaint_replies')
          .columns(['user_id', 'shown_at'])
          .execute();
        const hour = 3_600_000;
        await sql`insert into complaints
          (id, user_id, kind, ref, status, sealed, key_id, filed_at, acknowledge_by, resolve_by,
           acknowledged_at, assignee, closed_at, closed_by, reason)
          select id, user_id, 'appeal', 'minor-mode',
            case status when 'upheld' then 'resolved' when 'rejected' then 'rejected' else 'open' end,
            sealed, key_id, filed_at, filed_at + ${24 * hour}, filed_at + ${7 * 24 * hour},
            decided_at, decided_by, decided_at, decided_by, reason
          from appeals`.execute(db);
      },
    },
    '0013-notices-switches': {
      // NOTICE-1: service notices (planned withdrawals, and the gateway's own outage notice: `open_outage` is
      // 1 while an outage notice is open, null otherwise, so a unique index keeps at most one open across
      // instances). ASSESS-3: switches, one row per (scope, target) as it stands; the history is the audit.
      async up(db: Kysely<unknown>): Promise<void> {
        const schema = db.schema;
        await schema
          .createTable('notices')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('scope', 'text', (c) => c.notNull())
          .addColumn('target', 'text', (c) => c.notNull())
          .addColumn('effective_at', epochMs, (c) => c.notNull())
          .addColumn('created_at', epochMs, (c) => c.notNull())
          .addColumn('created_by', 'text', (c) => c.notNull())
          .addColumn('reason', 'text')
          .addColumn('cancelled_at', epochMs)
          .addColumn('cancelled_by', 'text')
          .addColumn('open_outage', 'integer')
          .execute();
        await schema
          .createIndex('notices_open_outage')
          .on('notices')
          .column('open_outage')
          .unique()
          .execute();
        await schema.createIndex('notices_created').on('notices').columns(['created_at', 'id']).execute();
        await schema
          .createTable('switches')
          .addColumn('scope', 'text', (c) => c.notNull())
          .addColumn('target', 'text', (c) => c.notNull())
          .addColumn('off', 'integer', (c) => c.notNull())
          .addColumn('change_id', 'text', (c) => c.notNull())
          .addColumn('reason', 'text', (c) => c.notNull())
          .addColumn('changed_by', 'text', (c) => c.notNull())
          .addColumn('changed_at', epochMs, (c) => c.notNull())
          .addPrimaryKeyConstraint('switches_pk', ['scope', 'target'])
          .execute();
      },
    },
    '0014-stats': {
      // ASSESS-1/2/4, GOV-1: per-day counters kept as data arrives (sharded rows, summed on read), each
      // user's last active day and counted age band (exact monthly actives), the assessment triggers
      // (once per key), the filing record and the self-inspection checklist.
      async up(db: Kysely<unknown>): Promise<void> {
        const schema = db.schema;
        await schema.alterTable('users').addColumn('last_active_day', 'text').execute();
        await schema.alterTable('users').addColumn('stats_band', 'text').execute();
        await schema
          .createTable('stats_counters')
          .addColumn('day', 'text', (c) => c.notNull())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('shard', 'integer', (c) => c.notNull())
          .addColumn('value', pg ? 'bigint' : 'integer', (c) => c.notNull())
          .addPrimaryKeyConstraint('stats_counters_pk', ['day', 'name', 'shard'])
          .execute();
        await schema
          .createTable('assessment_triggers')
          .addColumn('key', 'text', (c) => c.primaryKey())
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('fired_at', epochMs, (c) => c.notNull())
          .addColumn('day', 'text', (c) => c.notNull())
          .addColumn('value', pg ? 'bigint' : 'integer')
          .addColumn('threshold', pg ? 'bigint' : 'integer')
          .addColumn('subject', 'text')
          .addColumn('notified_at', epochMs)
          .execute();
        await schema
          .createTable('assessment_filing')
          .addColumn('id', 'integer', (c) => c.primaryKey())
          .addColumn('filing_number', 'text')
          .addColumn('assessment_status', 'text', (c) => c.notNull())
          .addColumn('submitted_on', 'text')
          .addColumn('last_review_on', 'text')
          .addColumn('next_review_on', 'text')
          .addColumn('note', 'text')
          .addColumn('updated_at', epochMs, (c) => c.notNull())
          .addColumn('updated_by', 'text')
          .execute();
        await schema
          .createTable('checklist_items')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('area', 'text', (c) => c.notNull())
          .addColumn('title', 'text', (c) => c.notNull())
          .addColumn('owner', 'text')
          .addColumn('due_on', 'text')
          .addColumn('done_on', 'text')
          .addColumn('note', 'text')
          .addColumn('updated_at', epochMs, (c) => c.notNull())
          .addColumn('updated_by', 'text')
          .execute();
      },
    },
    '0015-emotional-state': {
      // RISK-1: the running scores live on the user's row (read with the user on every turn anyway); one
      // row per user and day keeps the trend. Numbers only.
      async up(db: Kysely<unknown>): Promise<void> {
        const real = pg ? 'double precision' : 'real';
        for (const column of ['emotion_score', 'dependence_score']) {
          await db.schema
            .alterTable('users')
            .addColumn(column, real, (c) => c.notNull().defaultTo(0))
            .execute();
        }
        await db.schema.alterTable('users').addColumn('scores_at', epochMs).execute();
        await db.schema
          .createTable('emotional_days')
          .addColumn('user_id', 'text', (c) => c.notNull())
          .addColumn('day', 'text', (c) => c.notNull())
          .addColumn('emotion', real, (c) => c.notNull())
          .addColumn('dependence', real, (c) => c.notNull())
          .addColumn('signals', 'integer', (c) => c.notNull())
          .addPrimaryKeyConstraint('emotional_days_pk', ['user_id', 'day'])
          .execute();
      },
    },
    '0016-rate-limits': {
      // Limits shared by the instances on PostgreSQL without Redis: one row per bucket (its key holds the
      // window start), dropped once `expires_at` has passed. Buckets hold a SHA-256 digest of the user id,
      // not the id (unkeyed: a guessable id can be found by trying it).
      async up(db: Kysely<unknown>): Promise<void> {
        await db.schema
          .createTable('rate_limits')
          .addColumn('bucket', 'text', (c) => c.primaryKey())
          .addColumn('hits', pg ? 'bigint' : 'integer', (c) => c.notNull())
          .addColumn('expires_at', epochMs, (c) => c.notNull())
          .execute();
        await db.schema.createIndex('rate_limits_expires').on('rate_limits').column('expires_at').execute();
      },
    },
    '0017-drop-messages-user': {
      // Every turn writes messages; `messages_user_status` (user_id, status) serves each query by user, so the
      // index on user_id alone only cost a page write per commit.
      async up(db: Kysely<unknown>): Promise<void> {
        await db.schema.dropIndex('messages_user').ifExists().execute();
      },
    },
    '0018-staff-heartbeat': {
      // RISK-4: an operator is on duty only while their console's crisis queue is open: its last heartbeat.
      async up(db: Kysely<unknown>): Promise<void> {
        await db.schema.alterTable('staff_sessions').addColumn('heartbeat_at', epochMs).execute();
      },
    },
  };
}

/** A Kysely migration provider over {@link storeMigrations}. */
export function storeMigrationProvider(dialect: SqlDialectName): MigrationProvider {
  return { getMigrations: async () => storeMigrations(dialect) };
}
