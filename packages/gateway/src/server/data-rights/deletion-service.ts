import { randomUUID } from 'node:crypto';
import {
  type Clock,
  type DeletionFacts,
  type DeletionReceipt,
  type DeletionRequester,
  receiptSigningText,
  type Store,
  type UnsignedReceipt,
  type UserRecord,
} from '@companion-guard/core';

/** What signs deletion receipts: the gateway's Ed25519 signing key, kept apart from the database. */
export interface ReceiptSigner {
  /** Names the key in what it signed. */
  readonly keyId: string;
  /** Base64 Ed25519 signature of `data`. */
  sign(data: string): string;
}

export interface DeletionServiceOptions {
  readonly store: Store;
  readonly clock: Clock;
  readonly signingKey: ReceiptSigner;
}

export interface HistoryDeletionRequest {
  readonly user: Pick<UserRecord, 'id' | 'externalId'>;
  /** One character's history, or null for all of it. */
  readonly characterId: string | null;
  /** `user` (DATA-4) or the minor's `guardian` (DATA-5). */
  readonly requestedBy: DeletionRequester;
  /** Who acted for a guardian's request (e.g. the guardian's id), kept in the audit event; no contact data. */
  readonly actor?: string;
}

/** Deletes conversation history with proof (DATA-4, DATA-5). */
export interface DeletionService {
  /**
   * Destroys the data keys the history was sealed under, removes its rows, appends `history-deleted`
   * (DATA-4, or DATA-5 for a guardian's request) and keeps the signed receipt — all in one transaction —
   * and returns the receipt. Deleting a history that is already empty still yields a receipt (0 messages).
   *
   * @example
   * const receipt = await deletions.deleteHistory({ user, characterId: null, requestedBy: 'user' });
   * receipt.keysDestroyed // ['5f0c…'] — rows sealed under them are unreadable in every backup too
   */
  deleteHistory(request: HistoryDeletionRequest): Promise<DeletionReceipt>;
}

/**
 * The deletion service. Other parts (the app's `DELETE /v1/users/{user}/history`, a guardian's request in the
 * guardian API) call this one function, so every deletion is signed, kept and audited the same way.
 */
export function createDeletionService(options: DeletionServiceOptions): DeletionService {
  const { store, clock, signingKey } = options;
  return {
    deleteHistory({ user, characterId, requestedBy, actor }) {
      const id = randomUUID();
      const at = clock.now();
      const requirement = requestedBy === 'guardian' ? 'DATA-5' : 'DATA-4';
      return store.dataRights.deleteHistory({
        userId: user.id,
        characterId,
        at,
        audit: (facts: DeletionFacts) => [
          {
            type: 'history-deleted',
            requirement,
            at,
            userId: user.id,
            data: {
              receiptId: id,
              characterId,
              requestedBy,
              ...(actor === undefined ? {} : { actor }),
              messagesDeleted: facts.messagesDeleted,
              keysDestroyed: facts.keysDestroyed,
              keysRetained: facts.keysRetained,
            },
          },
        ],
        receipt: (facts, audit) => {
          const unsigned: UnsignedReceipt = {
            type: 'companion-guard/deletion-receipt',
            version: 1,
            id,
            userId: user.id,
            externalUserId: user.externalId,
            characterId,
            requestedBy,
            deletedAt: new Date(at).toISOString(),
            messagesDeleted: facts.messagesDeleted,
            keysDestroyed: facts.keysDestroyed,
            keysRetained: facts.keysRetained,
            audit,
            signingKeyId: signingKey.keyId,
          };
          return { ...unsigned, signature: signingKey.sign(receiptSigningText(unsigned)) };
        },
      });
    },
  };
}
