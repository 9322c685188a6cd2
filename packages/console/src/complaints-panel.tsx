/** Compliance page: the complaints queue (COMPLAINT-1). Filled in by the desk work. */
export function ComplaintsPanel() {
  return null;
}
