import { useState } from 'react';
import {
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
import type { ApiKeySummary, NewApiKey } from './staff-api.js';

/** Admin: the companion app's API keys; a new key's secret is shown once, revoking asks first. */
export function KeysPage() {
  const { api, t, locale } = useConsole();
  const keys = useLoader(() => api.listKeys());
  const [created, setCreated] = useState<NewApiKey | null>(null);
  const revoke = useConfirm((key: ApiKeySummary) => ({
    title: t('revokeTitle', { label: key.label }),
    text: t('revokeText'),
    confirmLabel: t('revoke'),
    onConfirm: async () => {
      await api.revokeKey(key.id);
      keys.reload();
    },
  }));

  return (
    <section data-testid="page-keys">
      <PageHeader title={t('keysTitle')} intro={t('keysIntro')} />
      {created ? (
        <SecretPanel
          title={t('keyCreatedTitle', { label: created.label })}
          note={t('keySecretNote')}
          label={t('keySecretLabel')}
          value={created.secret}
          testId="key-secret"
          onDone={() => setCreated(null)}
        />
      ) : (
        <NewKeyForm
          onCreated={(key) => {
            setCreated(key);
            keys.reload();
          }}
        />
      )}

      <DataTable
        caption={t('keysTitle')}
        list={keys}
        empty={t('noKeys')}
        columns={[
          { label: t('columnLabel'), cell: (key) => key.label },
          { label: t('columnId'), cell: (key) => <code>{key.id}</code> },
          { label: t('columnCreated'), cell: (key) => formatTime(locale, key.createdAt) },
          {
            label: t('columnKeyStatus'),
            cell: (key) =>
              key.revokedAt === null ? (
                <span className="badge badge-on">{t('keyActive')}</span>
              ) : (
                <span className="badge badge-off">
                  {t('keyRevoked', { time: formatTime(locale, key.revokedAt) })}
                </span>
              ),
          },
        ]}
        rowKey={(key) => key.id}
        rowData={(key) => ({
          'data-testid': 'key-row',
          'data-id': key.id,
          'data-revoked': key.revokedAt !== null ? 'true' : 'false',
        })}
        actions={(key) =>
          key.revokedAt === null && (
            <RowButton
              kind="danger"
              testId="key-revoke"
              label={t('revoke')}
              name={key.label}
              onClick={() => revoke.ask(key)}
            />
          )
        }
      />
      {revoke.dialog}
    </section>
  );
}

function NewKeyForm({ onCreated }: { onCreated: (key: NewApiKey) => void }) {
  const { api, t } = useConsole();
  const [label, setLabel] = useState('');

  return (
    <FormPanel
      title={t('newKeyTitle')}
      submitLabel={t('createKey')}
      busyLabel={t('creating')}
      submitTestId="key-create"
      onSubmit={async () => {
        const key = await api.createKey(label.trim());
        setLabel('');
        onCreated(key);
      }}
    >
      <TextField
        label={t('keyLabel')}
        hint={t('keyLabelHint')}
        required
        maxLength={100}
        autoComplete="off"
        testId="key-label"
        value={label}
        onValue={setLabel}
      />
    </FormPanel>
  );
}
