import { type ChangeEvent, useState } from 'react';
import type { Locale } from './api.js';
import { type ConsoleMessageKey, translateValue } from './console-i18n.js';
import {
  ChoiceField,
  DataTable,
  Field,
  FormPanel,
  PageHeader,
  pick,
  RowButton,
  TextField,
  useConsole,
  useLoader,
} from './console-ui.js';
import {
  type CharacterInput,
  characterRelations,
  characterScopes,
  type ManagedCharacter,
} from './staff-api.js';
import type { LocalizedText } from './wire-read.js';

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

      <DataTable
        caption={t('charactersTitle')}
        list={characters}
        empty={t('noCharacters')}
        columns={[
          {
            label: t('columnName'),
            cell: (character) => (
              <>
                {character.name[locale]}
                {character.description[locale] !== '' && (
                  <span className="cell-note">{character.description[locale]}</span>
                )}
              </>
            ),
          },
          { label: t('columnId'), cell: (character) => <code>{character.id}</code> },
          { label: t('columnScope'), cell: (character) => translateValue(t, 'scope', character.scope) },
          {
            label: t('columnRelation'),
            cell: (character) => translateValue(t, 'relation', character.relation),
          },
          {
            label: t('columnEnabled'),
            cell: (character) => (
              <span className={`badge ${character.enabled ? 'badge-on' : 'badge-off'}`}>
                {character.enabled ? t('enabledYes') : t('enabledNo')}
              </span>
            ),
          },
          {
            label: t('columnManagedBy'),
            cell: (character) => (
              <>
                {translateValue(t, 'managed', character.managedBy)}
                {!isEditable(character) && <span className="cell-note">{t('configReadOnly')}</span>}
              </>
            ),
          },
        ]}
        rowKey={(character) => character.id}
        rowData={(character) => ({
          'data-testid': 'character-row',
          'data-id': character.id,
          'data-managed-by': character.managedBy,
        })}
        actions={(character) =>
          isEditable(character) && (
            <RowButton
              kind="ghost"
              testId="character-edit"
              label={t('edit')}
              name={character.name[locale]}
              onClick={() => {
                setSaved(null);
                setDraft(draftOf(character));
              }}
            />
          )
        }
      />
    </section>
  );
}

function isEditable(character: ManagedCharacter): boolean {
  return character.managedBy === 'console';
}

interface CharacterFormProps {
  readonly draft: Draft;
  readonly onCancel: () => void;
  readonly onSaved: (character: CharacterInput) => void;
}

function CharacterForm({ draft, onCancel, onSaved }: CharacterFormProps) {
  const { api, t, locale } = useConsole();
  const [value, setValue] = useState<CharacterInput>(draft.character);
  const update = (change: Partial<CharacterInput>) => setValue((current) => ({ ...current, ...change }));

  async function save(): Promise<void> {
    const character: CharacterInput = {
      ...value,
      id: value.id.trim(),
      name: { zh: value.name.zh.trim(), en: value.name.en.trim() },
      description: { zh: value.description.zh.trim(), en: value.description.en.trim() },
      persona: value.persona.trim(),
    };
    await api.saveCharacter(character);
    onSaved(character);
  }

  return (
    <FormPanel
      title={draft.isNew ? t('newCharacter') : t('editCharacter', { name: draft.character.name[locale] })}
      submitLabel={t('save')}
      busyLabel={t('saving')}
      submitTestId="character-save"
      onSubmit={save}
      onCancel={onCancel}
      testId="character-form"
      focusTitle
    >
      <TextField
        label={t('characterId')}
        hint={t('characterIdHint')}
        required
        pattern="[a-z0-9][a-z0-9_\-]*"
        maxLength={64}
        readOnly={!draft.isNew}
        autoComplete="off"
        spellCheck={false}
        testId="character-id"
        value={value.id}
        onValue={(id) => update({ id })}
      />
      <LocalizedFields
        field="name"
        testId="character-name"
        value={value.name}
        onChange={(name) => update({ name })}
      />
      <LocalizedFields
        field="description"
        testId="character-description"
        rows={2}
        value={value.description}
        onChange={(description) => update({ description })}
      />
      <ChoiceField
        label={t('scopeLabel')}
        hint={t('scopeHint')}
        testId="character-scope"
        options={characterScopes}
        optionLabel={(scope) => t(`scope.${scope}`)}
        value={value.scope}
        onChange={(scope) => update({ scope })}
      />
      <ChoiceField
        label={t('relationLabel')}
        testId="character-relation"
        options={characterRelations}
        optionLabel={(relation) => t(`relation.${relation}`)}
        value={value.relation}
        onChange={(relation) => update({ relation })}
      />
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
    </FormPanel>
  );
}

/** The two languages of a localized field, with the `lang` of their text. */
const languages: readonly (readonly [Locale, string])[] = [
  ['zh', 'zh-CN'],
  ['en', 'en'],
];

interface LocalizedFieldsProps {
  /** Labels are `<field>Zh` and `<field>En`; test ids `<testId>-zh` and `<testId>-en`. */
  readonly field: 'name' | 'description';
  readonly testId: string;
  /** A textarea of this many rows; a one-line input without. */
  readonly rows?: number;
  readonly value: LocalizedText;
  readonly onChange: (value: LocalizedText) => void;
}

/** A required text of up to 200 characters, in Chinese and in English. */
function LocalizedFields({ field, testId, rows, value, onChange }: LocalizedFieldsProps) {
  const { t } = useConsole();
  return languages.map(([locale, lang]) => {
    const label: ConsoleMessageKey = `${field}${locale === 'zh' ? 'Zh' : 'En'}`;
    return (
      <Field key={locale} label={t(label)}>
        {(props) => {
          const text = {
            ...props,
            required: true,
            maxLength: 200,
            lang,
            'data-testid': `${testId}-${locale}`,
            value: value[locale],
            onChange: (event: ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) =>
              onChange({ ...value, [locale]: event.target.value }),
          };
          return rows ? <textarea {...text} rows={rows} /> : <input {...text} />;
        }}
      </Field>
    );
  });
}
