import { type FormEvent, useEffect, useRef, useState } from 'react';
import { translateValue } from './console-i18n.js';
import { ErrorNote, Field, PageHeader, useAction, useConsole, useLoader } from './console-ui.js';
import {
  type CharacterInput,
  characterRelations,
  characterScopes,
  type ManagedCharacter,
} from './staff-api.js';

/** The form being edited: `isNew` decides whether the id may still change. */
interface Draft {
  readonly isNew: boolean;
  readonly character: CharacterInput;
}

const emptyCharacter: CharacterInput = {
  id: '',
  name: { zh: '', en: '' },
  description: { zh: '', en: '' },
  scope: 'companion',
  relation: 'friend',
  persona: '',
  model: null,
  enabled: true,
};

function draftOf(character: ManagedCharacter): Draft {
  return {
    isNew: false,
    character: {
      id: character.id,
      name: character.name,
      description: character.description,
      scope: pick(characterScopes, character.scope, 'companion'),
      relation: pick(characterRelations, character.relation, 'other'),
      persona: character.persona,
      model: character.model,
      enabled: character.enabled,
    },
  };
}

/** Admin: the character list; console-managed characters are created and edited here. */
export function CharactersPage() {
  const { api, t, locale } = useConsole();
  const characters = useLoader(() => api.listCharacters());
  const [draft, setDraft] = useState<Draft | null>(null);
  const [saved, setSaved] = useState<string | null>(null);

  return (
    <section data-testid="page-characters">
      <PageHeader title={t('charactersTitle')} intro={t('charactersIntro')} />
      {draft === null ? (
        <div className="toolbar">
          <button
            type="button"
            className="button primary"
            data-testid="character-new"
            onClick={() => {
              setSaved(null);
              setDraft({ isNew: true, character: emptyCharacter });
            }}
          >
            {t('newCharacter')}
          </button>
          {saved && (
            <span className="alert alert-ok" role="status" data-testid="character-saved">
              {t('characterSaved', { name: saved })}
            </span>
          )}
        </div>
      ) : (
        <CharacterForm
          key={draft.isNew ? '(new)' : draft.character.id}
          draft={draft}
          onCancel={() => setDraft(null)}
          onSaved={(character) => {
            setDraft(null);
            setSaved(character.name[locale]);
            characters.reload();
          }}
        />
      )}

      {characters.error !== null && <ErrorNote error={characters.error} t={t} />}
      {characters.data === null && characters.error === null && <p className="loading">{t('loading')}</p>}
      {characters.data?.length === 0 && <p className="empty-list">{t('noCharacters')}</p>}
      {characters.data && characters.data.length > 0 && (
        <table className="data-table" aria-busy={characters.loading}>
          <caption className="visually-hidden">{t('charactersTitle')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('columnName')}</th>
              <th scope="col">{t('columnId')}</th>
              <th scope="col">{t('columnScope')}</th>
              <th scope="col">{t('columnRelation')}</th>
              <th scope="col">{t('columnEnabled')}</th>
              <th scope="col">{t('columnManagedBy')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {characters.data.map((character) => {
              const editable = character.managedBy === 'console';
              return (
                <tr
                  key={character.id}
                  data-testid="character-row"
                  data-id={character.id}
                  data-managed-by={character.managedBy}
                >
                  <th scope="row" data-label={t('columnName')}>
                    {character.name[locale]}
                    {character.description[locale] !== '' && (
                      <span className="cell-note">{character.description[locale]}</span>
                    )}
                  </th>
                  <td data-label={t('columnId')}>
                    <code>{character.id}</code>
                  </td>
                  <td data-label={t('columnScope')}>{translateValue(t, 'scope', character.scope)}</td>
                  <td data-label={t('columnRelation')}>
                    {translateValue(t, 'relation', character.relation)}
                  </td>
                  <td data-label={t('columnEnabled')}>
                    <span className={`badge ${character.enabled ? 'badge-on' : 'badge-off'}`}>
                      {character.enabled ? t('enabledYes') : t('enabledNo')}
                    </span>
                  </td>
                  <td data-label={t('columnManagedBy')}>
                    {translateValue(t, 'managed', character.managedBy)}
                    {!editable && <span className="cell-note">{t('configReadOnly')}</span>}
                  </td>
                  <td className="row-actions">
                    {editable && (
                      <button
                        type="button"
                        className="button ghost small"
                        data-testid="character-edit"
                        onClick={() => {
                          setSaved(null);
                          setDraft(draftOf(character));
                        }}
                      >
                        {t('edit')}
                        <span className="visually-hidden"> {character.name[locale]}</span>
                      </button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}

interface CharacterFormProps {
  readonly draft: Draft;
  readonly onCancel: () => void;
  readonly onSaved: (character: CharacterInput) => void;
}

function CharacterForm({ draft, onCancel, onSaved }: CharacterFormProps) {
  const { api, t, locale } = useConsole();
  const [value, setValue] = useState<CharacterInput>(draft.character);
  const action = useAction();
  const heading = useRef<HTMLHeadingElement>(null);
  const update = (change: Partial<CharacterInput>) => setValue((current) => ({ ...current, ...change }));

  useEffect(() => {
    heading.current?.focus();
  }, []);

  async function submit(event: FormEvent): Promise<void> {
    event.preventDefault();
    const character: CharacterInput = {
      ...value,
      id: value.id.trim(),
      name: { zh: value.name.zh.trim(), en: value.name.en.trim() },
      description: { zh: value.description.zh.trim(), en: value.description.en.trim() },
      persona: value.persona.trim(),
    };
    await action.run(async () => {
      await api.saveCharacter(character);
      onSaved(character);
    });
  }

  const title = draft.isNew ? t('newCharacter') : t('editCharacter', { name: draft.character.name[locale] });
  return (
    <form
      className="panel form-grid"
      aria-labelledby="character-form-title"
      data-testid="character-form"
      onSubmit={(event) => void submit(event)}
    >
      <h3 id="character-form-title" ref={heading} tabIndex={-1}>
        {title}
      </h3>
      <Field label={t('characterId')} hint={t('characterIdHint')}>
        {(props) => (
          <input
            {...props}
            required
            pattern="[a-z0-9][a-z0-9_\-]*"
            maxLength={64}
            readOnly={!draft.isNew}
            autoComplete="off"
            spellCheck={false}
            data-testid="character-id"
            value={value.id}
            onChange={(event) => update({ id: event.target.value })}
          />
        )}
      </Field>
      <Field label={t('nameZh')}>
        {(props) => (
          <input
            {...props}
            required
            maxLength={200}
            lang="zh-CN"
            data-testid="character-name-zh"
            value={value.name.zh}
            onChange={(event) => update({ name: { ...value.name, zh: event.target.value } })}
          />
        )}
      </Field>
      <Field label={t('nameEn')}>
        {(props) => (
          <input
            {...props}
            required
            maxLength={200}
            lang="en"
            data-testid="character-name-en"
            value={value.name.en}
            onChange={(event) => update({ name: { ...value.name, en: event.target.value } })}
          />
        )}
      </Field>
      <Field label={t('descriptionZh')}>
        {(props) => (
          <textarea
            {...props}
            rows={2}
            required
            maxLength={200}
            lang="zh-CN"
            data-testid="character-description-zh"
            value={value.description.zh}
            onChange={(event) => update({ description: { ...value.description, zh: event.target.value } })}
          />
        )}
      </Field>
      <Field label={t('descriptionEn')}>
        {(props) => (
          <textarea
            {...props}
            rows={2}
            required
            maxLength={200}
            lang="en"
            data-testid="character-description-en"
            value={value.description.en}
            onChange={(event) => update({ description: { ...value.description, en: event.target.value } })}
          />
        )}
      </Field>
      <Field label={t('scopeLabel')} hint={t('scopeHint')}>
        {(props) => (
          <select
            {...props}
            data-testid="character-scope"
            value={value.scope}
            onChange={(event) => update({ scope: pick(characterScopes, event.target.value, value.scope) })}
          >
            {characterScopes.map((scope) => (
              <option key={scope} value={scope}>
                {t(`scope.${scope}`)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label={t('relationLabel')}>
        {(props) => (
          <select
            {...props}
            data-testid="character-relation"
            value={value.relation}
            onChange={(event) =>
              update({ relation: pick(characterRelations, event.target.value, value.relation) })
            }
          >
            {characterRelations.map((relation) => (
              <option key={relation} value={relation}>
                {t(`relation.${relation}`)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <div className="field-wide">
        <Field label={t('persona')} hint={t('personaHint')}>
          {(props) => (
            <textarea
              {...props}
              rows={4}
              data-testid="character-persona"
              value={value.persona}
              onChange={(event) => update({ persona: event.target.value })}
            />
          )}
        </Field>
      </div>
      <label className="checkbox field-wide">
        <input
          type="checkbox"
          data-testid="character-enabled"
          checked={value.enabled}
          onChange={(event) => update({ enabled: event.target.checked })}
        />
        {t('enabledLabel')}
      </label>
      {action.error !== null && <ErrorNote error={action.error} t={t} />}
      <div className="form-actions">
        <button type="submit" className="button primary" data-testid="character-save" disabled={action.busy}>
          {action.busy ? t('saving') : t('save')}
        </button>
        <button type="button" className="button ghost" disabled={action.busy} onClick={onCancel}>
          {t('cancel')}
        </button>
      </div>
    </form>
  );
}

/** The option of `options` spelled `value`, or `fallback`. */
function pick<T extends string>(options: readonly T[], value: string, fallback: T): T {
  return options.find((option) => option === value) ?? fallback;
}
