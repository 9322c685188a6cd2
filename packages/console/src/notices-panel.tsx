/** Compliance page: service notices (NOTICE-1). Filled in by the desk work. */
export function NoticesPanel() {
  return null;
}
