import { useState } from 'react';
import {
  ChoiceField,
  DataTable,
  FormPanel,
  formatTime,
  PageHeader,
  pick,
  RowButton,
  TextField,
  useConfirm,
  useConsole,
  useLoader,
} from './console-ui.js';
import type { ServiceNoticeView } from './staff-api.js';

const scopes = ['character', 'function', 'service'] as const;

/** Compliance: service notices (NOTICE-1) — scheduled, listed, cancelled; the gateway's outage notices too. */
export function NoticesPanel() {
  const { api, t, locale } = useConsole();
  const notices = useLoader(() => api.listNotices());
  const board = useLoader(() => api.listSwitches());
  const list = { ...notices, data: notices.data?.notices ?? null };
  const days = notices.data?.minAdvanceDays;
  const cancel = useConfirm((n: ServiceNoticeView) => ({
    title: t('noticeCancelTitle'),
    text: t('noticeCancelText'),
    confirmLabel: n.scope === 'outage' ? t('noticeLift') : t('noticeCancel'),
    onConfirm: async () => {
      await api.cancelNotice(n.id);
      notices.reload();
    },
  }));
  const about = (n: ServiceNoticeView) =>
    n.scope === 'service' || n.scope === 'outage'
      ? t(`noticeScope.${n.scope}`)
      : `${t(`noticeScope.${n.scope}`)}${locale === 'zh' ? '：' : ': '}${n.targetName?.[locale] ?? n.target}`;

  return (
    <section data-testid="notices">
      <PageHeader title={t('noticesTitle')} intro={t('noticesIntro')} />
      {days && (
        <p className="hint" data-testid="notices-min-advance">
          {t('noticesMinAdvance', {
            character: String(days.character),
            function: String(days.function),
            service: String(days.service),
          })}
        </p>
      )}
      <ScheduleForm
        characters={board.data?.characters ?? []}
        functions={board.data?.functions ?? []}
        onDone={notices.reload}
      />
      {cancel.dialog}
      <DataTable
        caption={t('noticesTitle')}
        list={list}
        empty={t('noNotices')}
        columns={[
          { label: t('columnNoticeAbout'), cell: about },
          { label: t('columnNoticeEffective'), cell: (n) => formatTime(locale, n.effectiveAt) },
          { label: t('columnNoticeStatus'), cell: (n) => t(`noticeStatus.${n.status}`) },
          {
            label: t('columnNoticeBy'),
            cell: (n) =>
              `${n.createdBy} · ${formatTime(locale, n.createdAt)}${n.reason ? ` · ${n.reason}` : ''}`,
          },
        ]}
        rowKey={(n) => n.id}
        rowData={(n) => ({ 'data-testid': 'notice-row', 'data-id': n.id, 'data-status': n.status })}
        actions={(n) =>
          (n.status === 'scheduled' || n.status === 'in-effect' || n.status === 'open') && (
            <RowButton
              kind="danger"
              testId="notice-cancel"
              label={n.scope === 'outage' ? t('noticeLift') : t('noticeCancel')}
              name={about(n)}
              onClick={() => cancel.ask(n)}
            />
          )
        }
      />
    </section>
  );
}

function ScheduleForm({
  characters,
  functions,
  onDone,
}: {
  characters: readonly { id: string; name: { zh: string; en: string } }[];
  functions: readonly { id: string; name: { zh: string; en: string } }[];
  onDone: () => void;
}) {
  const { api, t, locale } = useConsole();
  const [scope, setScope] = useState<(typeof scopes)[number]>('character');
  const [target, setTarget] = useState('');
  const [effective, setEffective] = useState('');
  const [reason, setReason] = useState('');
  const targets = scope === 'character' ? characters : scope === 'function' ? functions : [];
  const ids = targets.map((x) => x.id);
  const chosen = pick(ids, target, ids[0] ?? '');
  return (
    <FormPanel
      title={t('noticeSchedule')}
      submitLabel={t('noticeSchedule')}
      busyLabel={t('noticeScheduling')}
      submitTestId="notice-submit"
      testId="notice-form"
      onSubmit={async () => {
        await api.scheduleNotice({
          scope,
          ...(scope === 'service' ? {} : { target: chosen }),
          effectiveAt: new Date(effective).getTime(),
          ...(reason.trim() ? { reason: reason.trim() } : {}),
        });
        setReason('');
        onDone();
      }}
    >
      <ChoiceField
        label={t('noticeScope')}
        testId="notice-scope"
        options={scopes}
        optionLabel={(s) => t(`noticeScope.${s}`)}
        value={scope}
        onChange={(s) => {
          setScope(s);
          setTarget('');
        }}
      />
      {scope !== 'service' && ids.length > 0 && (
        <ChoiceField
          label={t('noticeTarget')}
          testId="notice-target"
          options={ids}
          optionLabel={(id) => targets.find((x) => x.id === id)?.name[locale] ?? id}
          value={chosen}
          onChange={setTarget}
        />
      )}
      <TextField
        label={t('noticeEffective')}
        hint={t('noticeEffectiveHint')}
        type="datetime-local"
        required
        testId="notice-effective"
        value={effective}
        onValue={setEffective}
      />
      <TextField
        label={t('noticeReason')}
        hint={t('noticeReasonHint')}
        minLength={3}
        maxLength={500}
        testId="notice-reason"
        value={reason}
        onValue={setReason}
      />
    </FormPanel>
  );
}
