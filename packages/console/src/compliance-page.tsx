import { ComplaintsPanel } from './complaints-panel.js';
import { DashboardPanel } from './dashboard-panel.js';
import { NoticesPanel } from './notices-panel.js';
import { ReportsPanel } from './reports-panel.js';
import { SwitchesPanel } from './switches-panel.js';

/** The compliance officer's desk: one page, a panel per duty. */
export function CompliancePage() {
  return (
    <>
      <DashboardPanel />
      <ComplaintsPanel />
      <NoticesPanel />
      <SwitchesPanel />
      <ReportsPanel />
    </>
  );
}
