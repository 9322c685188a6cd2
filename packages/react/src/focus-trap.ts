import { type RefObject, useEffect, useRef } from 'react';

const focusable =
  'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/**
 * Keeps keyboard focus inside `root` while the component lives: focuses `initial` (or `root`) at once,
 * wraps Tab and Shift+Tab around, pulls focus back if it escapes, keeps presses outside from taking it, and hands it back to what had it
 * before when the component goes. Escape calls `onEscape`; without one, Escape does nothing.
 */
export function useFocusTrap(
  root: RefObject<HTMLElement | null>,
  initial: RefObject<HTMLElement | null>,
  onEscape?: () => void,
): void {
  // The latest handler, without restarting the trap (and moving focus) when it changes.
  const escapeHandler = useRef(onEscape);
  escapeHandler.current = onEscape;

  useEffect(() => {
    const box = root.current;
    if (!box) return;
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    (initial.current ?? box).focus();

    const inside = () => Array.from(box.querySelectorAll<HTMLElement>(focusable));
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key === 'Escape') {
        event.preventDefault();
        event.stopPropagation();
        escapeHandler.current?.();
        return;
      }
      if (event.key !== 'Tab') return;
      const items = inside();
      const first = items[0];
      const last = items.at(-1);
      const active = document.activeElement;
      if (!first || !last) {
        event.preventDefault();
        box.focus();
      } else if (event.shiftKey && (active === first || !box.contains(active))) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && (active === last || !box.contains(active))) {
        event.preventDefault();
        first.focus();
      }
    };
    const onFocusIn = (event: FocusEvent) => {
      if (event.target instanceof Node && !box.contains(event.target)) (inside()[0] ?? box).focus();
    };
    // A press outside (on the backdrop) would otherwise blur the focused control.
    const onPointerDown = (event: MouseEvent) => {
      if (event.target instanceof Node && !box.contains(event.target)) event.preventDefault();
    };
    document.addEventListener('keydown', onKeyDown, true);
    document.addEventListener('focusin', onFocusIn);
    document.addEventListener('mousedown', onPointerDown, true);
    return () => {
      document.removeEventListener('keydown', onKeyDown, true);
      document.removeEventListener('focusin', onFocusIn);
      document.removeEventListener('mousedown', onPointerDown, true);
      if (previous?.isConnected) previous.focus();
    };
  }, [root, initial]);
}
