import { type FormEvent, useState } from 'react';
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
import type { ApiKeySummary, NewApiKey } from './staff-api.js';

/** Admin: the companion app's API keys; a new key's secret is shown once, revoking asks first. */
export function KeysPage() {
  const { api, t, locale } = useConsole();
  const keys = useLoader(() => api.listKeys());
  const [created, setCreated] = useState<NewApiKey | null>(null);
  const [revoking, setRevoking] = useState<ApiKeySummary | null>(null);

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

      {keys.error !== null && <ErrorNote error={keys.error} t={t} />}
      {keys.data === null && keys.error === null && <p className="loading">{t('loading')}</p>}
      {keys.data?.length === 0 && <p className="empty-list">{t('noKeys')}</p>}
      {keys.data && keys.data.length > 0 && (
        <table className="data-table" aria-busy={keys.loading}>
          <caption className="visually-hidden">{t('keysTitle')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('columnLabel')}</th>
              <th scope="col">{t('columnId')}</th>
              <th scope="col">{t('columnCreated')}</th>
              <th scope="col">{t('columnKeyStatus')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {keys.data.map((key) => (
              <tr
                key={key.id}
                data-testid="key-row"
                data-id={key.id}
                data-revoked={key.revokedAt !== null ? 'true' : 'false'}
              >
                <th scope="row" data-label={t('columnLabel')}>
                  {key.label}
                </th>
                <td data-label={t('columnId')}>
                  <code>{key.id}</code>
                </td>
                <td data-label={t('columnCreated')}>{formatTime(locale, key.createdAt)}</td>
                <td data-label={t('columnKeyStatus')}>
                  {key.revokedAt === null ? (
                    <span className="badge badge-on">{t('keyActive')}</span>
                  ) : (
                    <span className="badge badge-off">
                      {t('keyRevoked', { time: formatTime(locale, key.revokedAt) })}
                    </span>
                  )}
                </td>
                <td className="row-actions">
                  {key.revokedAt === null && (
                    <button
                      type="button"
                      className="button danger small"
                      data-testid="key-revoke"
                      onClick={() => setRevoking(key)}
                    >
                      {t('revoke')}
                      <span className="visually-hidden"> {key.label}</span>
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      {revoking && (
        <ConfirmDialog
          title={t('revokeTitle', { label: revoking.label })}
          text={t('revokeText')}
          confirmLabel={t('revoke')}
          onConfirm={async () => {
            await api.revokeKey(revoking.id);
            keys.reload();
          }}
          onClose={() => setRevoking(null)}
        />
      )}
    </section>
  );
}

function NewKeyForm({ onCreated }: { onCreated: (key: NewApiKey) => void }) {
  const { api, t } = useConsole();
  const [label, setLabel] = useState('');
  const action = useAction();

  async function submit(event: FormEvent): Promise<void> {
    event.preventDefault();
    await action.run(async () => {
      const key = await api.createKey(label.trim());
      setLabel('');
      onCreated(key);
    });
  }

  return (
    <form
      className="panel form-grid"
      aria-labelledby="new-key-title"
      onSubmit={(event) => void submit(event)}
    >
      <h3 id="new-key-title">{t('newKeyTitle')}</h3>
      <Field label={t('keyLabel')} hint={t('keyLabelHint')}>
        {(props) => (
          <input
            {...props}
            required
            maxLength={100}
            autoComplete="off"
            data-testid="key-label"
            value={label}
            onChange={(event) => setLabel(event.target.value)}
          />
        )}
      </Field>
      {action.error !== null && <ErrorNote error={action.error} t={t} />}
      <div className="form-actions">
        <button type="submit" className="button primary" data-testid="key-create" disabled={action.busy}>
          {action.busy ? t('creating') : t('createKey')}
        </button>
      </div>
    </form>
  );
}
