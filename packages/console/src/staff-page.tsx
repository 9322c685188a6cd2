import { type FormEvent, useState } from 'react';
import { translateValue } from './console-i18n.js';
import {
  ConfirmDialog,
  ErrorNote,
  Field,
  formatTime,
  PageHeader,
  SecretPanel,
  useAction,
  useConsole,
  useLoader,
} from './console-ui.js';
import { type NewStaff, type StaffMember, type StaffRole, staffRoles } from './staff-api.js';

/** Admin: the staff list, adding a member (with the admin's TOTP link shown once), disabling one. */
export function StaffPage() {
  const { api, t, locale, session } = useConsole();
  const staff = useLoader(() => api.listStaff());
  const [disabling, setDisabling] = useState<StaffMember | null>(null);
  const [added, setAdded] = useState<NewStaff | null>(null);

  const isSelf = (member: StaffMember) =>
    session.id !== null ? member.id === session.id : member.email === session.email;

  return (
    <section data-testid="page-staff">
      <PageHeader title={t('staffTitle')} intro={t('staffIntro')} />

      <AddStaffForm
        onAdded={(member) => {
          setAdded(member);
          staff.reload();
        }}
      />
      {added?.totpUri && (
        <SecretPanel
          title={t('totpUriTitle', { email: added.email })}
          note={t('totpUriNote')}
          label={t('totpUriLabel')}
          value={added.totpUri}
          testId="totp-uri"
          onDone={() => setAdded(null)}
        />
      )}
      {added && !added.totpUri && (
        <p className="alert alert-ok" role="status" data-testid="staff-added">
          {t('staffAdded', { email: added.email, role: translateValue(t, 'role', added.role) })}
        </p>
      )}

      {staff.error !== null && <ErrorNote error={staff.error} t={t} />}
      {staff.data === null && staff.error === null && <p className="loading">{t('loading')}</p>}
      {staff.data?.length === 0 && <p className="empty-list">{t('noStaff')}</p>}
      {staff.data && staff.data.length > 0 && (
        <table className="data-table" aria-busy={staff.loading}>
          <caption className="visually-hidden">{t('staffTitle')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('columnEmail')}</th>
              <th scope="col">{t('columnRole')}</th>
              <th scope="col">{t('columnTotp')}</th>
              <th scope="col">{t('columnStatus')}</th>
              <th scope="col">{t('columnCreated')}</th>
              <th scope="col">{t('columnLastLogin')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {staff.data.map((member) => (
              <tr
                key={member.id}
                data-testid="staff-row"
                data-email={member.email}
                data-disabled={member.disabled ? 'true' : 'false'}
              >
                <th scope="row" data-label={t('columnEmail')}>
                  {member.email}
                  {isSelf(member) && <span className="muted"> ({t('you')})</span>}
                </th>
                <td data-label={t('columnRole')}>{translateValue(t, 'role', member.role)}</td>
                <td data-label={t('columnTotp')}>{member.totp ? t('totpOn') : t('totpOff')}</td>
                <td data-label={t('columnStatus')}>
                  <span className={`badge ${member.disabled ? 'badge-off' : 'badge-on'}`}>
                    {member.disabled ? t('statusDisabled') : t('statusActive')}
                  </span>
                </td>
                <td data-label={t('columnCreated')}>{formatTime(locale, member.createdAt)}</td>
                <td data-label={t('columnLastLogin')}>
                  {formatTime(locale, member.lastLoginAt, t('never'))}
                </td>
                <td className="row-actions">
                  {!member.disabled && !isSelf(member) && (
                    <button
                      type="button"
                      className="button danger small"
                      data-testid="staff-disable"
                      onClick={() => setDisabling(member)}
                    >
                      {t('disable')}
                      <span className="visually-hidden"> {member.email}</span>
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      {disabling && (
        <ConfirmDialog
          title={t('disableTitle', { email: disabling.email })}
          text={t('disableText')}
          confirmLabel={t('disable')}
          onConfirm={async () => {
            await api.disableStaff(disabling.id);
            staff.reload();
          }}
          onClose={() => setDisabling(null)}
        />
      )}
    </section>
  );
}

function AddStaffForm({ onAdded }: { onAdded: (member: NewStaff) => void }) {
  const { api, t } = useConsole();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<StaffRole>('operator');
  const [password, setPassword] = useState('');
  const action = useAction();

  async function submit(event: FormEvent): Promise<void> {
    event.preventDefault();
    const form = event.currentTarget;
    await action.run(async () => {
      const member = await api.addStaff({ email: email.trim(), role, password });
      // reset() also clears the fields' "user has edited" state, so the emptied fields are not flagged;
      // the state below matches what it puts back.
      if (form instanceof HTMLFormElement) form.reset();
      setEmail('');
      setRole('operator');
      setPassword('');
      onAdded(member);
    });
  }

  return (
    <form
      className="panel form-grid"
      aria-labelledby="add-staff-title"
      onSubmit={(event) => void submit(event)}
    >
      <h3 id="add-staff-title">{t('addStaffTitle')}</h3>
      <Field label={t('columnEmail')}>
        {(props) => (
          <input
            {...props}
            type="email"
            autoComplete="off"
            required
            data-testid="staff-email"
            value={email}
            onChange={(event) => setEmail(event.target.value)}
          />
        )}
      </Field>
      <Field label={t('columnRole')}>
        {(props) => (
          <select
            {...props}
            data-testid="staff-role"
            value={role}
            onChange={(event) => setRole(staffRoles.find((r) => r === event.target.value) ?? 'operator')}
          >
            {staffRoles.map((r) => (
              <option key={r} value={r}>
                {t(`role.${r}`)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label={t('initialPassword')} hint={t('initialPasswordHint')}>
        {(props) => (
          <input
            {...props}
            type="password"
            autoComplete="new-password"
            required
            minLength={12}
            data-testid="staff-password"
            value={password}
            onChange={(event) => setPassword(event.target.value)}
          />
        )}
      </Field>
      {action.error !== null && <ErrorNote error={action.error} t={t} />}
      <div className="form-actions">
        <button type="submit" className="button primary" data-testid="staff-add" disabled={action.busy}>
          {action.busy ? t('adding') : t('add')}
        </button>
      </div>
    </form>
  );
}
