/** Compliance page: the filing record, self-inspection checklist and the assessment report (ASSESS-2, ASSESS-4, GOV-1). Filled in by the desk work. */
export function ReportsPanel() {
  return null;
}
