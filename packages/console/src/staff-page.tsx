import { useState } from 'react';
import { translateValue } from './console-i18n.js';
import {
  ChoiceField,
  DataTable,
  FormPanel,
  formatTime,
  PageHeader,
  RowButton,
  SecretPanel,
  TextField,
  useConfirm,
  useConsole,
  useLoader,
} from './console-ui.js';
import { type NewStaff, type StaffMember, type StaffRole, staffRoles } from './staff-api.js';

/** Admin: the staff list, adding a member (with the admin's TOTP link shown once), disabling one. */
export function StaffPage() {
  const { api, t, locale, session } = useConsole();
  const staff = useLoader(() => api.listStaff());
  const [added, setAdded] = useState<NewStaff | null>(null);
  const disable = useConfirm((member: StaffMember) => ({
    title: t('disableTitle', { email: member.email }),
    text: t('disableText'),
    confirmLabel: t('disable'),
    onConfirm: async () => {
      await api.disableStaff(member.id);
      staff.reload();
    },
  }));

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

      <DataTable
        caption={t('staffTitle')}
        list={staff}
        empty={t('noStaff')}
        columns={[
          {
            label: t('columnEmail'),
            cell: (member) => (
              <>
                {member.email}
                {isSelf(member) && <span className="muted"> ({t('you')})</span>}
              </>
            ),
          },
          { label: t('columnRole'), cell: (member) => translateValue(t, 'role', member.role) },
          { label: t('columnTotp'), cell: (member) => (member.totp ? t('totpOn') : t('totpOff')) },
          {
            label: t('columnStatus'),
            cell: (member) => (
              <span className={`badge ${member.disabled ? 'badge-off' : 'badge-on'}`}>
                {member.disabled ? t('statusDisabled') : t('statusActive')}
              </span>
            ),
          },
          { label: t('columnCreated'), cell: (member) => formatTime(locale, member.createdAt) },
          {
            label: t('columnLastLogin'),
            cell: (member) => formatTime(locale, member.lastLoginAt, t('never')),
          },
        ]}
        rowKey={(member) => member.id}
        rowData={(member) => ({
          'data-testid': 'staff-row',
          'data-email': member.email,
          'data-disabled': member.disabled ? 'true' : 'false',
        })}
        actions={(member) =>
          !member.disabled &&
          !isSelf(member) && (
            <RowButton
              kind="danger"
              testId="staff-disable"
              label={t('disable')}
              name={member.email}
              onClick={() => disable.ask(member)}
            />
          )
        }
      />
      {disable.dialog}
    </section>
  );
}

function AddStaffForm({ onAdded }: { onAdded: (member: NewStaff) => void }) {
  const { api, t } = useConsole();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<StaffRole>('operator');
  const [password, setPassword] = useState('');

  return (
    <FormPanel
      title={t('addStaffTitle')}
      submitLabel={t('add')}
      busyLabel={t('adding')}
      submitTestId="staff-add"
      onSubmit={async (form) => {
        const member = await api.addStaff({ email: email.trim(), role, password });
        // reset() also clears the fields' "user has edited" state, so the emptied fields are not flagged;
        // the state below matches what it puts back.
        form.reset();
        setEmail('');
        setRole('operator');
        setPassword('');
        onAdded(member);
      }}
    >
      <TextField
        label={t('columnEmail')}
        type="email"
        autoComplete="off"
        required
        testId="staff-email"
        value={email}
        onValue={setEmail}
      />
      <ChoiceField
        label={t('columnRole')}
        testId="staff-role"
        options={staffRoles}
        optionLabel={(option) => t(`role.${option}`)}
        value={role}
        onChange={setRole}
      />
      <TextField
        label={t('initialPassword')}
        hint={t('initialPasswordHint')}
        type="password"
        autoComplete="new-password"
        required
        minLength={12}
        testId="staff-password"
        value={password}
        onValue={setPassword}
      />
    </FormPanel>
  );
}
