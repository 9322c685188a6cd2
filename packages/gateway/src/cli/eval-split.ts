/**
 * The evaluation split of `shared/eval`, shared by `companion-guard eval` and `scripts/train-crisis-model.ts`.
 *
 * Every row belongs to a group: the SHA-256 of its group key, which is the text folded (NFKC, lower case) with
 * everything but letters removed (digits, punctuation, whitespace, emoji), cut to its first 48 letters. Rows
 * that differ only in numbers, punctuation, spacing or their tail share a group. The group's hash decides:
 * - frozen validation: first 32 bits mod 5 = 0 (about 20 % of the groups). No model is trained, and no
 *   threshold or setting is chosen, on these rows.
 * - otherwise the training part, cross-validation fold = next 32 bits mod 5.
 * A row whose text has no letter is its own group (keyed by its id).
 */
import { createHash } from 'node:crypto';

export const FOLDS = 5;
const FROZEN_MOD = 5;
const KEY_LETTERS = 48;

/** The near-duplicate group key of a row (never printed or stored). */
export function groupKey(id: string, text: string): string {
  const letters = text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}]/gu, '');
  return letters.length > 0 ? `t:${[...letters].slice(0, KEY_LETTERS).join('')}` : `id:${id}`;
}

/** Where a row belongs: `frozen`, or the training part with its cross-validation fold (0..FOLDS-1). */
export type SplitPart = { readonly frozen: true } | { readonly frozen: false; readonly fold: number };

export function splitOf(id: string, text: string): SplitPart {
  const h = createHash('sha256').update(groupKey(id, text)).digest();
  if (h.readUInt32BE(0) % FROZEN_MOD === 0) return { frozen: true };
  return { frozen: false, fold: h.readUInt32BE(4) % FOLDS };
}
