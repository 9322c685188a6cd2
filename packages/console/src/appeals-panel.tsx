import { useState } from 'react';
import {
  ChoiceField,
  DataTable,
  FormPanel,
  formatTime,
  PageHeader,
  RowButton,
  TextField,
  useConsole,
  useLoader,
} from './console-ui.js';
import type { Appeal } from './staff-api.js';

const states = ['open', 'upheld', 'rejected', 'all'] as const;
const decisions = ['upheld', 'rejected'] as const;

/** Compliance: appeals against minor mode entered on suspicion (MINOR-5), listed and decided. */
export function AppealsPanel() {
  const { api, t, locale } = useConsole();
  const [state, setState] = useState<(typeof states)[number]>('open');
  const appeals = useLoader(() => api.listAppeals(state));
  const [deciding, setDeciding] = useState<Appeal | null>(null);

  return (
    <section data-testid="appeals">
      <PageHeader title={t('appealsTitle')} intro={t('appealsIntro')} />
      <ChoiceField
        label={t('appealsShow')}
        testId="appeals-state"
        options={states}
        optionLabel={(s) => t(`appealState.${s}`)}
        value={state}
        onChange={(s) => {
          setState(s);
          setDeciding(null);
          appeals.reload();
        }}
      />
      {deciding && (
        <DecideForm
          appeal={deciding}
          onDone={() => {
            setDeciding(null);
            appeals.reload();
          }}
        />
      )}
      <DataTable
        caption={t('appealsTitle')}
        list={appeals}
        empty={t('noAppeals')}
        columns={[
          { label: t('columnAppealUser'), cell: (a) => <code>{a.userId}</code> },
          { label: t('columnAppealText'), cell: (a) => a.text ?? t('appealNoText') },
          { label: t('columnFiled'), cell: (a) => formatTime(locale, a.filedAt) },
          { label: t('columnAppealStatus'), cell: (a) => t(`appealState.${a.status}`) },
        ]}
        rowKey={(a) => a.id}
        rowData={(a) => ({ 'data-testid': 'appeal-row', 'data-id': a.id, 'data-status': a.status })}
        actions={(a) =>
          a.status === 'open' && (
            <RowButton
              kind="ghost"
              testId="appeal-decide"
              label={t('appealDecide')}
              name={a.userId}
              onClick={() => setDeciding(a)}
            />
          )
        }
      />
    </section>
  );
}

function DecideForm({ appeal, onDone }: { appeal: Appeal; onDone: () => void }) {
  const { api, t } = useConsole();
  const [decision, setDecision] = useState<(typeof decisions)[number]>('upheld');
  const [reason, setReason] = useState('');
  return (
    <FormPanel
      title={t('appealDecideTitle', { user: appeal.userId })}
      submitLabel={t('appealDecide')}
      busyLabel={t('appealDeciding')}
      submitTestId="appeal-submit"
      testId="appeal-form"
      focusTitle
      onCancel={onDone}
      onSubmit={async () => {
        await api.decideAppeal(appeal.id, decision, reason.trim());
        onDone();
      }}
    >
      <ChoiceField
        label={t('appealDecision')}
        testId="appeal-decision"
        options={decisions}
        optionLabel={(d) => t(`appealState.${d}`)}
        value={decision}
        onChange={setDecision}
      />
      <TextField
        label={t('appealReason')}
        hint={t('appealReasonHint')}
        required
        minLength={3}
        maxLength={500}
        testId="appeal-reason"
        value={reason}
        onValue={setReason}
      />
    </FormPanel>
  );
}
