/** Compliance page: switches of characters, functions and the service (ASSESS-3). Filled in by the desk work. */
export function SwitchesPanel() {
  return null;
}
