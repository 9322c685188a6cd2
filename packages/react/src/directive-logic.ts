/**
 * How the kit shows a directive, decided without a DOM: where it goes, its title, its ARIA role, whether
 * the user must acknowledge it, and the structured extras it reads from `data` (hotlines, appeal).
 */
import { isKitTextKey, type KitLocale, type KitTextKey, kitText } from './texts.js';

/**
 * A compliance directive as the kit reads it (the gateway's `DirectiveWire`). `type` stays open: a newer
 * gateway's type is shown by its `display` with a generic title rather than dropped.
 */
export interface DirectiveLike {
  readonly type: string;
  readonly requirement: string;
  readonly display: 'popup' | 'banner' | 'inline' | (string & {});
  /** Already in the user's locale. */
  readonly text: string;
  readonly data?: Readonly<Record<string, unknown>> | null | undefined;
}

/** Where a directive goes: a modal over the page, a banner above the chat, a note in it, or the end card. */
export type Placement = 'modal' | 'banner' | 'note' | 'end';

export function placementOf(directive: DirectiveLike): Placement {
  // The AI notice is always a modal the user acknowledges (DISC-1), whatever a gateway sends as display.
  if (directive.type === 'ai-disclosure') return 'modal';
  if (directive.type === 'session-ended') return 'end';
  if (directive.display === 'popup') return 'modal';
  if (directive.display === 'banner') return 'banner';
  return 'note';
}

/**
 * True for the notice the user must acknowledge with its button: the AI notice (DISC-1). Escape does not
 * close it and it has no close button.
 */
export function mustAcknowledge(directive: DirectiveLike): boolean {
  return directive.type === 'ai-disclosure';
}

/** The directives that warn of a danger: announced at once (`alert`) rather than politely (`status`). */
const urgentTypes: ReadonlySet<string> = new Set(['crisis-resources', 'risk-warning']);

/** The ARIA role of a directive: `alertdialog`/`dialog` for modals, `alert`/`status` otherwise. */
export function roleOf(directive: DirectiveLike): 'alertdialog' | 'dialog' | 'alert' | 'status' {
  if (placementOf(directive) === 'modal') return mustAcknowledge(directive) ? 'alertdialog' : 'dialog';
  return urgentTypes.has(directive.type) ? 'alert' : 'status';
}

/** The kit's title of a directive in `locale`; a type the kit does not know gets a generic one. */
export function titleOf(directive: DirectiveLike, locale: KitLocale): string {
  let key: KitTextKey = 'title.default';
  const own = `title.${directive.type}`;
  if (directive.type === 'ai-disclosure' && directive.data?.reminder === 'reality') {
    key = 'title.ai-disclosure.reality';
  } else if (isKitTextKey(own)) {
    key = own;
  }
  return kitText(locale, key);
}

/** The label of a modal's main button: "I understand" for the AI notice, "OK" for the rest. */
export function acknowledgeLabel(directive: DirectiveLike, locale: KitLocale): string {
  return kitText(locale, mustAcknowledge(directive) ? 'acknowledge' : 'ok');
}

/** Reminders that suggest a pause: their modal offers to end the chat as well as to carry on. */
const breakTypes: ReadonlySet<string> = new Set(['usage-reminder', 'take-a-break', 'rest-reminder']);

export function offersEndChat(directive: DirectiveLike): boolean {
  return breakTypes.has(directive.type);
}

/** A help line of a `crisis-resources` directive. */
export interface Hotline {
  readonly name: string;
  readonly number: string;
  /** `tel:` link with only the digits and a leading `+`. */
  readonly href: string;
}

/** The `data.hotlines` of a directive; malformed entries and numbers without digits are left out. */
export function hotlinesOf(directive: DirectiveLike): Hotline[] {
  const list = directive.data?.hotlines;
  if (!Array.isArray(list)) return [];
  const result: Hotline[] = [];
  for (const entry of list) {
    if (typeof entry !== 'object' || entry === null) continue;
    const { name, number } = entry as Record<string, unknown>;
    if (typeof name !== 'string' || (typeof number !== 'string' && typeof number !== 'number')) continue;
    const href = telHref(String(number));
    if (href) result.push({ name, number: String(number), href });
  }
  return result;
}

/** `tel:` link of a phone number as written (`400-161-9995` → `tel:4001619995`); `null` without digits. */
export function telHref(number: string): string | null {
  const digits = number.replace(/[^\d]/g, '');
  if (digits === '') return null;
  return `tel:${number.trim().startsWith('+') ? '+' : ''}${digits}`;
}

/** How to file an appeal against minor mode entered on suspicion (MINOR-5), from `data.appeal`. */
export interface AppealAction {
  readonly method: string;
  /** Path on the gateway, e.g. `/v1/users/u-1/appeals`. */
  readonly path: string;
  readonly body: unknown;
}

/** The appeal a directive offers, or `null` (an appeal's outcome has `data.appeal` as a string). */
export function appealOf(directive: DirectiveLike): AppealAction | null {
  const appeal = directive.data?.appeal;
  if (typeof appeal !== 'object' || appeal === null) return null;
  const { method, path, body } = appeal as Record<string, unknown>;
  if (typeof method !== 'string' || typeof path !== 'string' || !path.startsWith('/')) return null;
  return { method, path, body };
}
