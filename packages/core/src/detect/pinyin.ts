/** Toneless pinyin of Han characters, from the generated table (one most common reading per character). */
import { PINYIN_TABLE } from './tables.generated.js';

/** Syllable spellings; index 0 is unused (means "no pinyin"). */
export const SYLLABLES: readonly string[] = [''];
/** Syllable id per UTF-16 unit of normalized text, 0 for none. */
export const SYLLABLE_OF = new Uint16Array(65536);

for (const group of PINYIN_TABLE.split('|')) {
  const colon = group.indexOf(':');
  if (colon <= 0) continue;
  const id = (SYLLABLES as string[]).push(group.slice(0, colon)) - 1;
  for (let k = colon + 1; k < group.length; k++) SYLLABLE_OF[group.charCodeAt(k)] = id;
}

/** Number of syllable ids (exclusive upper bound). */
export const SYLLABLE_COUNT = SYLLABLES.length;

/** Syllable ids of a Han term, or undefined if any character has no pinyin. */
export function syllableIds(term: string): number[] | undefined {
  const ids: number[] = [];
  for (let k = 0; k < term.length; k++) {
    const id = SYLLABLE_OF[term.charCodeAt(k)] ?? 0;
    if (id === 0) return undefined;
    ids.push(id);
  }
  return ids;
}

/** Full pinyin of a Han term ("zisha"), or undefined. */
export function pinyinOf(term: string): string | undefined {
  const ids = syllableIds(term);
  return ids?.map((id) => SYLLABLES[id] ?? '').join('');
}

/** Pinyin initials of a Han term ("zs"), or undefined. */
export function initialsOf(term: string): string | undefined {
  const ids = syllableIds(term);
  return ids?.map((id) => (SYLLABLES[id] ?? '').charAt(0)).join('');
}
