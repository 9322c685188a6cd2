/** Compliance page: the compliance dashboard: figures and charts over time (ASSESS-1, RISK-1, metrics). Filled in by the desk work. */
export function DashboardPanel() {
  return null;
}
