import { useState } from 'react';
import {
  type AssessmentStatus,
  assessmentStatuses,
  type ChecklistArea,
  type ChecklistEntry,
  checklistAreas,
  type Filing,
} from './assessment-wire.js';
import {
  ChoiceField,
  DataTable,
  ErrorNote,
  FormPanel,
  formatTime,
  PageHeader,
  pick,
  RowButton,
  TextField,
  useAction,
  useConfirm,
  useConsole,
  useLoader,
} from './console-ui.js';
import { lastDays } from './dashboard-panel.js';

const formats = ['html', 'md', 'json'] as const;
type Format = (typeof formats)[number];

/**
 * Compliance: the assessment report to download (ASSESS-2), the filing record (ASSESS-4) and the
 * self-inspection checklist with owners and dates (GOV-1).
 */
export function ReportsPanel() {
  const { t } = useConsole();
  return (
    <section className="desk-panel" data-testid="reports">
      <PageHeader title={t('reportsTitle')} intro={t('reportsIntro')} />
      <ReportDownload />
      <FilingForm />
      <Checklist />
    </section>
  );
}

function ReportDownload() {
  const { api, t } = useConsole();
  const initial = lastDays(30);
  const [from, setFrom] = useState(initial.from);
  const [to, setTo] = useState(initial.to);
  const [format, setFormat] = useState<Format>('html');
  const [saved, setSaved] = useState<string | null>(null);
  const action = useAction();

  async function download(): Promise<void> {
    setSaved(null);
    const { blob, fileName } = await api.downloadReport(from, to, format);
    const url = URL.createObjectURL(blob);
    const link = document.createElement('a');
    link.href = url;
    link.download = fileName;
    document.body.append(link);
    link.click();
    link.remove();
    // Let the browser start the download before the URL goes.
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    setSaved(fileName);
  }

  return (
    <div className="panel" data-testid="report-download">
      <h3>{t('reportDownloadTitle')}</h3>
      <p>{t('reportDownloadText')}</p>
      <div className="desk-form">
        <TextField
          label={t('reportFrom')}
          type="date"
          required
          testId="report-from"
          value={from}
          onValue={setFrom}
        />
        <TextField label={t('reportTo')} type="date" required testId="report-to" value={to} onValue={setTo} />
        <ChoiceField
          label={t('reportFormat')}
          testId="report-format"
          options={formats}
          optionLabel={(f) => t(`reportFormat.${f}`)}
          value={format}
          onChange={setFormat}
        />
        <button
          type="button"
          className="button primary"
          data-testid="report-download-button"
          disabled={action.busy}
          onClick={() => void action.run(download)}
        >
          {action.busy ? t('reportGenerating') : t('reportDownload')}
        </button>
      </div>
      {action.error !== null && <ErrorNote error={action.error} t={t} testId="report-error" />}
      {saved && (
        <p className="muted" data-testid="report-saved">
          {t('reportSaved', { file: saved })}
        </p>
      )}
    </div>
  );
}

const orNull = (s: string) => (s.trim() === '' ? null : s.trim());

function FilingForm() {
  const { api, t, locale } = useConsole();
  const filing = useLoader(() => api.getFiling());
  if (filing.error !== null) return <ErrorNote error={filing.error} t={t} testId="filing-error" />;
  if (!filing.data) return <p className="loading">{t('loading')}</p>;
  return (
    <FilingFields
      key={filing.data.updatedAt ?? 0}
      filing={filing.data}
      updated={filing.data.updatedAt === null ? null : formatTime(locale, filing.data.updatedAt)}
      onSaved={filing.reload}
    />
  );
}

function FilingFields({
  filing,
  updated,
  onSaved,
}: {
  filing: Filing;
  updated: string | null;
  onSaved: () => void;
}) {
  const { api, t } = useConsole();
  const [number, setNumber] = useState(filing.filingNumber ?? '');
  const [status, setStatus] = useState<AssessmentStatus>(filing.assessmentStatus);
  const [submittedOn, setSubmittedOn] = useState(filing.submittedOn ?? '');
  const [lastReviewOn, setLastReviewOn] = useState(filing.lastReviewOn ?? '');
  const [nextReviewOn, setNextReviewOn] = useState(filing.nextReviewOn ?? '');
  const [note, setNote] = useState(filing.note ?? '');
  return (
    <FormPanel
      title={t('filingTitle')}
      submitLabel={t('save')}
      busyLabel={t('saving')}
      submitTestId="filing-save"
      testId="filing-form"
      onSubmit={async () => {
        await api.saveFiling({
          filingNumber: orNull(number),
          assessmentStatus: status,
          submittedOn: orNull(submittedOn),
          lastReviewOn: orNull(lastReviewOn),
          nextReviewOn: orNull(nextReviewOn),
          note: orNull(note),
        });
        onSaved();
      }}
    >
      <p className="muted" data-testid="filing-updated">
        {updated ? t('filingUpdated', { at: updated }) : t('filingNeverSaved')}
      </p>
      <TextField
        label={t('filingNumber')}
        hint={t('filingNumberHint')}
        maxLength={100}
        testId="filing-number"
        value={number}
        onValue={setNumber}
      />
      <ChoiceField
        label={t('filingStatus')}
        testId="filing-status"
        options={assessmentStatuses}
        optionLabel={(s) => t(`assessmentStatus.${s}`)}
        value={status}
        onChange={setStatus}
      />
      <TextField
        label={t('filingSubmittedOn')}
        type="date"
        testId="filing-submitted"
        value={submittedOn}
        onValue={setSubmittedOn}
      />
      <TextField
        label={t('filingLastReview')}
        type="date"
        testId="filing-last-review"
        value={lastReviewOn}
        onValue={setLastReviewOn}
      />
      <TextField
        label={t('filingNextReview')}
        type="date"
        testId="filing-next-review"
        value={nextReviewOn}
        onValue={setNextReviewOn}
      />
      <TextField
        label={t('filingNote')}
        maxLength={1000}
        testId="filing-note"
        value={note}
        onValue={setNote}
      />
    </FormPanel>
  );
}

/** A new item: the gateway gives it its id (`PUT /api/checklist/new`). */
const newItem = (): ChecklistEntry => ({
  id: 'new',
  area: 'algorithm-review',
  title: '',
  owner: null,
  dueOn: null,
  doneOn: null,
  note: null,
});

function Checklist() {
  const { api, t } = useConsole();
  const items = useLoader(() => api.listChecklist());
  const [editing, setEditing] = useState<{ item: ChecklistEntry; isNew: boolean } | null>(null);
  const remove = useConfirm((item: ChecklistEntry) => ({
    title: t('checklistDeleteTitle', { title: item.title }),
    text: t('checklistDeleteText'),
    confirmLabel: t('checklistDelete'),
    onConfirm: async () => {
      await api.deleteChecklistItem(item.id);
      items.reload();
    },
  }));
  const areaLabel = (area: string) =>
    checklistAreas.includes(area as ChecklistArea) ? t(`checklistArea.${area as ChecklistArea}`) : area;
  return (
    <div className="panel" data-testid="checklist">
      <h3>{t('checklistTitle')}</h3>
      <p>{t('checklistIntro')}</p>
      <div className="toolbar">
        <button
          type="button"
          className="button ghost"
          data-testid="checklist-add"
          onClick={() => setEditing({ item: newItem(), isNew: true })}
        >
          {t('checklistAdd')}
        </button>
      </div>
      {editing && (
        <ChecklistForm
          key={editing.item.id}
          item={editing.item}
          isNew={editing.isNew}
          onDone={(saved) => {
            setEditing(null);
            if (saved) items.reload();
          }}
        />
      )}
      <DataTable
        caption={t('checklistTitle')}
        list={items}
        empty={t('checklistEmpty')}
        columns={[
          { label: t('checklistItem'), cell: (i) => i.title },
          { label: t('checklistArea'), cell: (i) => areaLabel(i.area) },
          { label: t('checklistOwner'), cell: (i) => i.owner ?? '—' },
          { label: t('checklistDue'), cell: (i) => i.dueOn ?? '—' },
          {
            label: t('checklistDone'),
            cell: (i) =>
              i.doneOn ? i.doneOn : <span className="badge badge-flag">{t('checklistOpen')}</span>,
          },
          { label: t('checklistNote'), cell: (i) => i.note ?? '—' },
        ]}
        rowKey={(i) => i.id}
        rowData={(i) => ({
          'data-testid': 'checklist-row',
          'data-id': i.id,
          'data-done': String(i.doneOn !== null),
        })}
        actions={(i) => (
          <>
            <RowButton
              kind="ghost"
              testId="checklist-edit"
              label={t('checklistEdit')}
              name={i.title}
              onClick={() => setEditing({ item: i, isNew: false })}
            />
            <RowButton
              kind="danger"
              testId="checklist-delete"
              label={t('checklistDelete')}
              name={i.title}
              onClick={() => remove.ask(i)}
            />
          </>
        )}
      />
      {remove.dialog}
    </div>
  );
}

function ChecklistForm({
  item,
  isNew,
  onDone,
}: {
  item: ChecklistEntry;
  isNew: boolean;
  onDone: (saved: boolean) => void;
}) {
  const { api, t } = useConsole();
  const [area, setArea] = useState<ChecklistArea>(pick(checklistAreas, item.area, 'other'));
  const [title, setTitle] = useState(item.title);
  const [owner, setOwner] = useState(item.owner ?? '');
  const [dueOn, setDueOn] = useState(item.dueOn ?? '');
  const [doneOn, setDoneOn] = useState(item.doneOn ?? '');
  const [note, setNote] = useState(item.note ?? '');
  return (
    <FormPanel
      title={isNew ? t('checklistAddTitle') : t('checklistEditTitle', { title: item.title })}
      submitLabel={t('save')}
      busyLabel={t('saving')}
      submitTestId="checklist-save"
      testId="checklist-form"
      focusTitle
      onCancel={() => onDone(false)}
      onSubmit={async () => {
        await api.saveChecklistItem({
          id: item.id,
          area,
          title: title.trim(),
          owner: orNull(owner),
          dueOn: orNull(dueOn),
          doneOn: orNull(doneOn),
          note: orNull(note),
        });
        onDone(true);
      }}
    >
      <ChoiceField
        label={t('checklistArea')}
        testId="checklist-area"
        options={checklistAreas}
        optionLabel={(a) => t(`checklistArea.${a}`)}
        value={area}
        onChange={setArea}
      />
      <TextField
        label={t('checklistOwner')}
        maxLength={200}
        testId="checklist-owner"
        value={owner}
        onValue={setOwner}
      />
      <TextField
        label={t('checklistDue')}
        type="date"
        testId="checklist-due"
        value={dueOn}
        onValue={setDueOn}
      />
      <TextField
        label={t('checklistDone')}
        type="date"
        testId="checklist-done"
        value={doneOn}
        onValue={setDoneOn}
      />
      <TextField
        label={t('checklistItem')}
        required
        maxLength={500}
        testId="checklist-title"
        value={title}
        onValue={setTitle}
      />
      <TextField
        label={t('checklistNote')}
        maxLength={1000}
        testId="checklist-note"
        value={note}
        onValue={setNote}
      />
    </FormPanel>
  );
}
