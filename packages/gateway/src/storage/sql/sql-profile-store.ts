import {
  type AuditInput,
  applyProfilePatch,
  CgError,
  type Contact,
  type Locale,
  type ProfileChange,
  type ProfilePatch,
  type UserProfile,
  type UserProfileStore,
  type UserRecord,
} from '@companion-guard/core';
import type { Selectable } from 'kysely';
import { decryptContent, encryptContent } from '../envelope-cipher.js';
import type { UserContactsTable, UsersTable } from './schema.js';
import type { DataKey, SqlContext } from './sql-context.js';
import { writeGuardianLinks } from './sql-guardian-store.js';
import { toUser } from './sql-store.js';

/** The store's `ensureUser`: the profile store creates users exactly as the chat path does. */
export type EnsureUser = (
  externalId: string,
  now: number,
  defaults: { locale?: Locale },
) => Promise<UserRecord>;

/** Contact rows by kind, and the profile field each one fills. */
const contactFields = [
  { kind: 'guardian', field: 'guardian' },
  { kind: 'emergency', field: 'emergencyContact' },
] as const;
type ContactKind = (typeof contactFields)[number]['kind'];

/**
 * What a sealed contact is bound to (the cipher's associated data): its user and its field, so a sealed
 * contact cannot be moved to another user or from one field to the other unnoticed.
 */
export const contactBinding = (userId: string, kind: string): string => `contact:${userId}:${kind}`;

/**
 * The SQL UserProfileStore. Age facts, region and time zone are columns of `users` (the chat path reads
 * them with the user); contacts are rows of `user_contacts`, sealed with AES-256-GCM under the user's data
 * key, so deleting that key shreds them with the user's messages (DATA-4).
 */
export class SqlProfileStore implements UserProfileStore {
  readonly #ctx: SqlContext;
  readonly #ensureUser: EnsureUser;

  constructor(ctx: SqlContext, ensureUser: EnsureUser) {
    this.#ctx = ctx;
    this.#ensureUser = ensureUser;
  }

  getProfile(externalId: string): Promise<UserProfile | undefined> {
    return this.#ctx.run('getProfile', async () => {
      const { db } = this.#ctx;
      const row = await db
        .selectFrom('users')
        .selectAll()
        .where('externalId', '=', externalId)
        .executeTakeFirst();
      if (!row) return undefined;
      const contacts = await db.selectFrom('userContacts').selectAll().where('userId', '=', row.id).execute();
      const keys = await this.#ctx.dataKeysById(new Set(contacts.map((c) => c.keyId)));
      return toProfile(row, contacts, (keyId) => keys.get(keyId));
    });
  }

  updateProfile(
    externalId: string,
    patch: ProfilePatch,
    options: {
      readonly now: number;
      readonly locale?: Locale;
      readonly audit: (change: ProfileChange) => readonly AuditInput[];
    },
  ): Promise<UserProfile> {
    return this.#ctx.run('updateProfile', async () => {
      const { now } = options;
      const user = await this.#ensureUser(externalId, now, options.locale ? { locale: options.locale } : {});
      // Fetched (or created) before the transaction, which holds SQLite's only connection until it ends.
      const userKey = async () => {
        const key = await this.#ctx.dataKeyForUser(user.id, now);
        return { sealed: key, keyIds: new Set([key.keyId]) };
      };
      return this.#ctx.transactionWithLiveKeys(userKey, async (trx, key) => {
        const select = trx.selectFrom('users').selectAll().where('id', '=', user.id);
        // SQLite's BEGIN IMMEDIATE already serializes writers; PostgreSQL locks the user's row.
        const row = await (this.#ctx.dialect === 'postgres' ? select.forUpdate() : select).executeTakeFirst();
        if (!row) throw new CgError('store-error', 'A user row vanished while its profile was updated.');
        const contacts = await trx
          .selectFrom('userContacts')
          .selectAll()
          .where('userId', '=', user.id)
          .execute();
        const before = toProfile(row, contacts, (keyId) => (keyId === key.keyId ? key : undefined));
        const change = applyProfilePatch(before, patch, now);
        const { after } = change;
        if (change.changed.length > 0 || change.registration) {
          await trx
            .updateTable('users')
            .set({
              birthDate: after.birthDate,
              declaredAge: after.declaredAge?.age ?? null,
              ageDeclaredAt: after.declaredAge?.at ?? null,
              region: after.region,
              timeZone: after.timeZone,
              locale: after.locale,
              profileUpdatedAt: after.profileUpdatedAt,
            })
            .where('id', '=', user.id)
            .execute();
        }
        if (change.changed.includes('guardian')) {
          await writeGuardianLinks(this.#ctx, trx, user.id, after.guardian);
        }
        for (const { kind, field } of contactFields) {
          if (!change.changed.includes(field)) continue;
          const contact = after[field];
          if (contact === null) {
            await trx
              .deleteFrom('userContacts')
              .where('userId', '=', user.id)
              .where('kind', '=', kind)
              .execute();
            continue;
          }
          const sealed = encryptContent(key.key, contactBinding(user.id, kind), JSON.stringify(contact));
          await trx
            .insertInto('userContacts')
            .values({ userId: user.id, kind, sealed, keyId: key.keyId, updatedAt: now })
            .onConflict((oc) =>
              oc.columns(['userId', 'kind']).doUpdateSet({ sealed, keyId: key.keyId, updatedAt: now }),
            )
            .execute();
        }
        await this.#ctx.appendAuditWithin(trx, options.audit(change));
        return after;
      });
    });
  }
}

function toProfile(
  row: Selectable<UsersTable>,
  contacts: readonly Selectable<UserContactsTable>[],
  keyFor: (keyId: string) => DataKey | undefined,
): UserProfile {
  const contact = (kind: ContactKind): Contact | null => {
    const stored = contacts.find((c) => c.kind === kind);
    if (!stored) return null;
    const key = keyFor(stored.keyId);
    if (!key || key.userId !== row.id) {
      throw new CgError('store-error', `The data key of a contact of user ${row.id} is missing (shredded?).`);
    }
    const { name, email, phone } = JSON.parse(
      decryptContent(key.key, contactBinding(row.id, kind), stored.sealed),
    ) as Contact;
    return { name, email, phone };
  };
  return {
    ...toUser(row),
    guardian: contact('guardian'),
    emergencyContact: contact('emergency'),
    profileUpdatedAt: row.profileUpdatedAt,
  };
}
