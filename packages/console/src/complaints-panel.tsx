import { useState } from 'react';
import {
  ChoiceField,
  DataTable,
  ErrorNote,
  FormPanel,
  formatTime,
  PageHeader,
  RowButton,
  TextField,
  useAction,
  useConsole,
  useLoader,
} from './console-ui.js';
import { type Complaint, type ComplaintStatus, complaintStatuses } from './staff-api.js';

const states = [...complaintStatuses, 'all'] as const;
const overdueChoices = ['any', 'overdue', 'within'] as const;
const assigneeChoices = ['anyone', 'me', 'none'] as const;
type Closing = Extract<ComplaintStatus, 'resolved' | 'rejected'>;

/** An appeal of minor mode entered on suspicion: the MINOR-5 appeal (resolving it ends minor mode). */
const isMinorAppeal = (c: Complaint) => c.kind === 'appeal' && c.ref === 'minor-mode';
const isClosed = (c: Complaint) => c.status === 'resolved' || c.status === 'rejected';

/**
 * Compliance: the complaints queue (COMPLAINT-1) — complaints, reports and appeals (minor-mode appeals of
 * MINOR-5 included) with their deadlines, overdue flags, assignment, replies to the user and closing.
 */
export function ComplaintsPanel() {
  const { api, t, locale, session } = useConsole();
  const [state, setState] = useState<(typeof states)[number]>('open');
  const [overdue, setOverdue] = useState<(typeof overdueChoices)[number]>('any');
  const [assignee, setAssignee] = useState<(typeof assigneeChoices)[number]>('anyone');
  const complaints = useLoader(() =>
    api.listComplaints({
      state,
      ...(overdue === 'any' ? {} : { overdue: overdue === 'overdue' }),
      ...(assignee === 'anyone' ? {} : { assignee }),
    }),
  );
  const [form, setForm] = useState<{ complaint: Complaint; action: 'reply' | Closing } | null>(null);
  const action = useAction();
  const done = () => {
    setForm(null);
    complaints.reload();
  };
  const filter =
    <T,>(set: (v: T) => void) =>
    (v: T) => {
      set(v);
      setForm(null);
      complaints.reload();
    };

  return (
    <section data-testid="complaints" className="complaint-queue">
      <PageHeader title={t('complaintsTitle')} intro={t('complaintsIntro')} />
      <div className="complaint-filters">
        <ChoiceField
          label={t('complaintsShow')}
          testId="complaints-state"
          options={states}
          optionLabel={(s) => t(`complaintState.${s}`)}
          value={state}
          onChange={filter(setState)}
        />
        <ChoiceField
          label={t('complaintsDeadline')}
          testId="complaints-overdue"
          options={overdueChoices}
          optionLabel={(o) => t(`complaintOverdueFilter.${o}`)}
          value={overdue}
          onChange={filter(setOverdue)}
        />
        <ChoiceField
          label={t('complaintsAssignee')}
          testId="complaints-assignee"
          options={assigneeChoices}
          optionLabel={(a) => t(`complaintAssigneeFilter.${a}`)}
          value={assignee}
          onChange={filter(setAssignee)}
        />
      </div>
      {action.error !== null && <ErrorNote error={action.error} t={t} testId="complaint-error" />}
      {form && form.action === 'reply' && <ReplyForm complaint={form.complaint} onDone={done} />}
      {form && form.action !== 'reply' && (
        <CloseForm complaint={form.complaint} to={form.action} onDone={done} />
      )}
      <DataTable
        caption={t('complaintsTitle')}
        list={complaints}
        empty={t('noComplaints')}
        columns={[
          {
            label: t('columnComplaintKind'),
            cell: (c) => (
              <>
                {t(isMinorAppeal(c) ? 'complaintKind.minor-appeal' : `complaintKind.${c.kind}`)}
                {c.overdue && (
                  <>
                    {' '}
                    <span className="badge escalated" data-testid="complaint-overdue">
                      {t(`complaintOverdue.${c.overdue}`)}
                    </span>
                  </>
                )}
                <br />
                <small>
                  {t('columnComplaintUser')}: <code>{c.userId}</code>
                </small>
              </>
            ),
          },
          {
            label: t('columnComplaintText'),
            cell: (c) => (
              <>
                <span>{c.text ?? t('complaintNoText')}</span>
                {c.replies.map((r) => (
                  <span key={r.id} className="complaint-reply" data-testid="complaint-reply">
                    <br />↳ {r.text ?? t('complaintNoText')} <small>({r.by ?? '—'})</small>
                  </span>
                ))}
              </>
            ),
          },
          { label: t('columnFiled'), cell: (c) => formatTime(locale, c.filedAt) },
          { label: t('columnResolveBy'), cell: (c) => formatTime(locale, c.resolveBy) },
          {
            label: t('columnComplaintStatus'),
            cell: (c) => (
              <>
                {t(`complaintState.${c.status}`)}
                {c.reason && <small> — {c.reason}</small>}
              </>
            ),
          },
          { label: t('columnAssignee'), cell: (c) => c.assigneeEmail ?? t('complaintUnassigned') },
        ]}
        rowKey={(c) => c.id}
        rowData={(c) => ({
          'data-testid': 'complaint-row',
          'data-id': c.id,
          'data-status': c.status,
          'data-overdue': c.overdue ?? 'no',
        })}
        actions={(c) => (
          <>
            {!isClosed(c) && c.assigneeEmail !== session.email && (
              <RowButton
                kind="ghost"
                testId="complaint-assign"
                label={t('complaintAssignMe')}
                name={c.userId}
                onClick={() => action.run(() => api.assignComplaint(c.id)).then(() => complaints.reload())}
              />
            )}
            {c.status === 'open' && (
              <RowButton
                kind="ghost"
                testId="complaint-start"
                label={t('complaintStart')}
                name={c.userId}
                onClick={() =>
                  action
                    .run(() => api.setComplaintStatus(c.id, 'in-progress'))
                    .then(() => complaints.reload())
                }
              />
            )}
            <RowButton
              kind="ghost"
              testId="complaint-reply-open"
              label={t('complaintReply')}
              name={c.userId}
              onClick={() => setForm({ complaint: c, action: 'reply' })}
            />
            {!isClosed(c) && (
              <>
                <RowButton
                  kind="ghost"
                  testId="complaint-resolve"
                  label={t(isMinorAppeal(c) ? 'complaintUphold' : 'complaintResolve')}
                  name={c.userId}
                  onClick={() => setForm({ complaint: c, action: 'resolved' })}
                />
                <RowButton
                  kind="danger"
                  testId="complaint-reject"
                  label={t('complaintReject')}
                  name={c.userId}
                  onClick={() => setForm({ complaint: c, action: 'rejected' })}
                />
              </>
            )}
          </>
        )}
      />
    </section>
  );
}

function ReplyForm({ complaint, onDone }: { complaint: Complaint; onDone: () => void }) {
  const { api, t } = useConsole();
  const [text, setText] = useState('');
  return (
    <FormPanel
      title={t('complaintReplyTitle', { user: complaint.userId })}
      submitLabel={t('complaintSend')}
      busyLabel={t('complaintSending')}
      submitTestId="complaint-reply-submit"
      testId="complaint-reply-form"
      focusTitle
      onCancel={onDone}
      onSubmit={async () => {
        await api.replyToComplaint(complaint.id, text.trim());
        onDone();
      }}
    >
      <TextField
        label={t('complaintReplyText')}
        hint={t('complaintReplyHint')}
        required
        minLength={1}
        maxLength={2000}
        testId="complaint-reply-text"
        value={text}
        onValue={setText}
      />
    </FormPanel>
  );
}

function CloseForm({ complaint, to, onDone }: { complaint: Complaint; to: Closing; onDone: () => void }) {
  const { api, t } = useConsole();
  const [reason, setReason] = useState('');
  const verb =
    to === 'rejected' ? 'complaintReject' : isMinorAppeal(complaint) ? 'complaintUphold' : 'complaintResolve';
  return (
    <FormPanel
      title={t('complaintCloseTitle', { action: t(verb), user: complaint.userId })}
      submitLabel={t(verb)}
      busyLabel={t('complaintSending')}
      submitTestId="complaint-close-submit"
      testId="complaint-close-form"
      focusTitle
      onCancel={onDone}
      onSubmit={async () => {
        await api.setComplaintStatus(complaint.id, to, reason.trim());
        onDone();
      }}
    >
      {isMinorAppeal(complaint) && (
        <p>{t(to === 'resolved' ? 'complaintUpholdNote' : 'complaintKeepNote')}</p>
      )}
      <TextField
        label={t('complaintReason')}
        hint={t('complaintReasonHint')}
        required
        minLength={3}
        maxLength={500}
        testId="complaint-reason"
        value={reason}
        onValue={setReason}
      />
    </FormPanel>
  );
}
