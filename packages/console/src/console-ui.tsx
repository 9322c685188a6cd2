import {
  type ComponentProps,
  createContext,
  type FormEvent,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useId,
  useLayoutEffect,
  useRef,
  useState,
} from 'react';
import type { Locale } from './api.js';
import { type ConsoleTranslate, consoleKey } from './console-i18n.js';
import type { StaffApiClient, StaffSession } from './staff-api.js';
import { ApiError } from './wire-read.js';

/** What every console page needs: the API client, the language and the signed-in staff member. */
export interface ConsoleContextValue {
  readonly api: StaffApiClient;
  readonly locale: Locale;
  readonly t: ConsoleTranslate;
  readonly session: StaffSession;
}

export const ConsoleContext = createContext<ConsoleContextValue | null>(null);

export function useConsole(): ConsoleContextValue {
  const value = useContext(ConsoleContext);
  if (!value) throw new Error('useConsole() outside <ConsoleContext>');
  return value;
}

/** A user-facing description of a failed call: localized text, plus the gateway's code when it gave one. */
export function describeError(t: ConsoleTranslate, error: unknown): { message: string; code: string | null } {
  if (!(error instanceof ApiError)) return { message: t('errorInvalidResponse'), code: null };
  if (error.code === 'network_error') return { message: t('errorNetwork'), code: null };
  if (error.code === 'invalid_response') return { message: t('errorInvalidResponse'), code: null };
  if (error.code === 'forbidden') return { message: t('errorForbidden'), code: error.code };
  const known = consoleKey('error', error.code);
  if (known) return { message: t(known), code: error.code };
  return { message: t('errorRefused', { message: error.message }), code: error.code };
}

export function ErrorNote({ error, t, testId }: { error: unknown; t: ConsoleTranslate; testId?: string }) {
  const { message, code } = describeError(t, error);
  return (
    <div
      className="alert alert-error"
      role="alert"
      data-testid={testId ?? 'console-error'}
      data-code={code ?? ''}
    >
      {message}
      {code && <span className="error-code">{t('errorCode', { code })}</span>}
    </div>
  );
}

/** Formats epoch milliseconds for the page's language; `fallback` for `null`. */
export function formatTime(locale: Locale, ms: number | null, fallback = '—'): string {
  if (ms === null) return fallback;
  return new Intl.DateTimeFormat(locale === 'zh' ? 'zh-CN' : 'en', {
    dateStyle: 'medium',
    timeStyle: 'short',
  }).format(ms);
}

export interface Loaded<T> {
  readonly data: T | null;
  readonly error: unknown;
  readonly loading: boolean;
  reload(): void;
}

/** Loads data when the component mounts and on `reload()`; a stale answer never overwrites a newer one. */
export function useLoader<T>(load: () => Promise<T>): Loaded<T> {
  const [state, setState] = useState<{ data: T | null; error: unknown; loading: boolean }>({
    data: null,
    error: null,
    loading: true,
  });
  const [round, setRound] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  // biome-ignore lint/correctness/useExhaustiveDependencies: `round` is the reload trigger
  useEffect(() => {
    let current = true;
    setState((previous) => ({ ...previous, loading: true }));
    loadRef.current().then(
      (data) => {
        if (current) setState({ data, error: null, loading: false });
      },
      (error: unknown) => {
        if (current) setState((previous) => ({ data: previous.data, error, loading: false }));
      },
    );
    return () => {
      current = false;
    };
  }, [round]);

  const reload = useCallback(() => setRound((n) => n + 1), []);
  return { ...state, reload };
}

/** Runs one state-changing call at a time, keeping its error for display. */
export function useAction(): {
  busy: boolean;
  error: unknown;
  run(action: () => Promise<void>): Promise<boolean>;
  clear(): void;
} {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const busyRef = useRef(false);
  const run = useCallback(async (action: () => Promise<void>) => {
    if (busyRef.current) return false;
    busyRef.current = true;
    setBusy(true);
    setError(null);
    try {
      await action();
      return true;
    } catch (caught) {
      setError(caught);
      return false;
    } finally {
      busyRef.current = false;
      setBusy(false);
    }
  }, []);
  const clear = useCallback(() => setError(null), []);
  return { busy, error, run, clear };
}

/**
 * A page's (or a panel's) title. The page's first one takes the focus when the page opens, so screen readers
 * announce the new page; on a page of panels the later ones leave it there (effects run in document order).
 */
export function PageHeader({ title, intro, badge }: { title: string; intro?: string; badge?: string }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (!document.activeElement?.closest('.page-header')) heading.current?.focus();
  }, []);
  return (
    <div className="page-header">
      <h2 ref={heading} tabIndex={-1}>
        {title}
        {badge && <span className="badge badge-planned">{badge}</span>}
      </h2>
      {intro && <p className="page-intro">{intro}</p>}
    </div>
  );
}

interface FieldProps {
  readonly label: string;
  readonly hint?: string;
  readonly children: (props: { id: string; 'aria-describedby'?: string }) => ReactNode;
}

/** A labelled form control with an optional hint tied to it by `aria-describedby`. */
export function Field({ label, hint, children }: FieldProps) {
  const id = useId();
  const hintId = `${id}-hint`;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children(hint ? { id, 'aria-describedby': hintId } : { id })}
      {hint && (
        <p className="field-hint" id={hintId}>
          {hint}
        </p>
      )}
    </div>
  );
}

type TextFieldProps = Omit<ComponentProps<'input'>, 'id' | 'value' | 'onChange'> & {
  readonly label: string;
  readonly hint?: string;
  readonly testId: string;
  readonly value: string;
  readonly onValue: (value: string) => void;
};

/** A labelled text input; attributes other than the ones named here go to the `<input>`. */
export function TextField({ label, hint, testId, value, onValue, ...input }: TextFieldProps) {
  return (
    <Field label={label} hint={hint}>
      {(props) => (
        <input
          {...input}
          {...props}
          data-testid={testId}
          value={value}
          onChange={(event) => onValue(event.target.value)}
        />
      )}
    </Field>
  );
}

interface ChoiceFieldProps<T extends string> {
  readonly label: string;
  readonly hint?: string;
  readonly testId: string;
  readonly options: readonly T[];
  readonly optionLabel: (option: T) => string;
  readonly value: T;
  readonly onChange: (value: T) => void;
}

/** A labelled `<select>` of a fixed list of options. */
export function ChoiceField<T extends string>(choice: ChoiceFieldProps<T>) {
  const { label, hint, testId, options, optionLabel, value, onChange } = choice;
  return (
    <Field label={label} hint={hint}>
      {(props) => (
        <select
          {...props}
          data-testid={testId}
          value={value}
          onChange={(event) => onChange(pick(options, event.target.value, value))}
        >
          {options.map((option) => (
            <option key={option} value={option}>
              {optionLabel(option)}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

/** The option of `options` spelled `value`, or `fallback`. */
export function pick<T extends string>(options: readonly T[], value: string, fallback: T): T {
  return options.find((option) => option === value) ?? fallback;
}

interface FormPanelProps {
  readonly title: string;
  readonly submitLabel: string;
  /** The submit button's text while the call runs. */
  readonly busyLabel: string;
  readonly submitTestId: string;
  /** The state-changing call; the form shows its error if it fails. */
  readonly onSubmit: (form: HTMLFormElement) => Promise<void>;
  /** Adds a Cancel button. */
  readonly onCancel?: () => void;
  readonly testId?: string;
  /** The title takes the focus when the form opens. */
  readonly focusTitle?: boolean;
  readonly children: ReactNode;
}

/** A titled form in a panel that runs one call at a time, with its error and its buttons below the fields. */
export function FormPanel(form: FormPanelProps) {
  const { title, submitLabel, busyLabel, submitTestId, onSubmit, onCancel, testId, focusTitle, children } =
    form;
  const { t } = useConsole();
  const action = useAction();
  const titleId = useId();
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    if (focusTitle) heading.current?.focus();
  }, [focusTitle]);

  function submit(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    const element = event.currentTarget;
    void action.run(() => onSubmit(element));
  }

  return (
    <form className="panel form-grid" aria-labelledby={titleId} data-testid={testId} onSubmit={submit}>
      <h3 id={titleId} ref={heading} tabIndex={focusTitle ? -1 : undefined}>
        {title}
      </h3>
      {children}
      {action.error !== null && <ErrorNote error={action.error} t={t} />}
      <div className="form-actions">
        <button type="submit" className="button primary" data-testid={submitTestId} disabled={action.busy}>
          {action.busy ? busyLabel : submitLabel}
        </button>
        {onCancel && (
          <button type="button" className="button ghost" disabled={action.busy} onClick={onCancel}>
            {t('cancel')}
          </button>
        )}
      </div>
    </form>
  );
}

/** A column of a `DataTable`: its heading and what a row shows in it. */
export interface Column<T> {
  readonly label: string;
  readonly cell: (row: T) => ReactNode;
}

interface DataTableProps<T> {
  /** The table's name for screen readers. */
  readonly caption: string;
  readonly list: Loaded<readonly T[]>;
  /** What to say when the list is empty. */
  readonly empty: string;
  /** The first column names the row. */
  readonly columns: readonly [Column<T>, ...Column<T>[]];
  readonly rowKey: (row: T) => string;
  /** The row's `data-testid` and other `data-*` attributes. */
  readonly rowData: (row: T) => Record<`data-${string}`, string>;
  /** The row's buttons, in the last column. */
  readonly actions: (row: T) => ReactNode;
}

/** A loaded list as a table (cards on a narrow screen), with its error, loading and empty states. */
export function DataTable<T>(table: DataTableProps<T>) {
  const { caption, list, empty, columns, rowKey, rowData, actions } = table;
  const { t } = useConsole();
  const [first, ...rest] = columns;
  return (
    <>
      {list.error !== null && <ErrorNote error={list.error} t={t} />}
      {list.data === null && list.error === null && <p className="loading">{t('loading')}</p>}
      {list.data?.length === 0 && <p className="empty-list">{empty}</p>}
      {list.data && list.data.length > 0 && (
        <table className="data-table" aria-busy={list.loading}>
          <caption className="visually-hidden">{caption}</caption>
          <thead>
            <tr>
              {columns.map((column) => (
                <th key={column.label} scope="col">
                  {column.label}
                </th>
              ))}
              <th scope="col">
                <span className="visually-hidden">{t('actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.data.map((row) => (
              <tr key={rowKey(row)} {...rowData(row)}>
                <th scope="row" data-label={first.label}>
                  {first.cell(row)}
                </th>
                {rest.map((column) => (
                  <td key={column.label} data-label={column.label}>
                    {column.cell(row)}
                  </td>
                ))}
                <td className="row-actions">{actions(row)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

interface RowButtonProps {
  readonly kind: 'danger' | 'ghost';
  readonly testId: string;
  readonly label: string;
  /** Names the row for screen readers, after the label. */
  readonly name: string;
  readonly onClick: () => void;
}

/** A small button acting on one row of a table. */
export function RowButton({ kind, testId, label, name, onClick }: RowButtonProps) {
  return (
    <button type="button" className={`button ${kind} small`} data-testid={testId} onClick={onClick}>
      {label}
      <span className="visually-hidden"> {name}</span>
    </button>
  );
}

/**
 * An action on a row that asks first: `ask(row)` opens the confirmation `confirmation(row)` describes,
 * `dialog` is where the page renders it.
 */
export function useConfirm<T>(confirmation: (row: T) => Omit<ConfirmDialogProps, 'onClose'>): {
  ask(row: T): void;
  dialog: ReactNode;
} {
  const [row, setRow] = useState<{ value: T } | null>(null);
  const dialog = row && <ConfirmDialog {...confirmation(row.value)} onClose={() => setRow(null)} />;
  return { ask: (value) => setRow({ value }), dialog };
}

interface ConfirmDialogProps {
  readonly title: string;
  readonly text: string;
  readonly confirmLabel: string;
  /** The state-changing call; the dialog stays open with the error shown if it fails. */
  readonly onConfirm: () => Promise<void>;
  /** Called after a successful confirm, or on cancel. */
  readonly onClose: () => void;
}

/** A modal confirmation for an irreversible action; focus starts on Cancel and Escape cancels. */
function ConfirmDialog({ title, text, confirmLabel, onConfirm, onClose }: ConfirmDialogProps) {
  const { t } = useConsole();
  const dialog = useRef<HTMLDialogElement>(null);
  const action = useAction();
  const titleId = useId();
  const textId = `${titleId}-text`;

  useLayoutEffect(() => {
    const element = dialog.current;
    element?.showModal();
    return () => element?.close();
  }, []);

  async function confirm(): Promise<void> {
    if (await action.run(onConfirm)) onClose();
  }

  return (
    <dialog
      ref={dialog}
      className="dialog"
      aria-labelledby={titleId}
      aria-describedby={textId}
      data-testid="confirm-dialog"
      onCancel={(event) => {
        event.preventDefault();
        if (!action.busy) onClose();
      }}
    >
      <h2 id={titleId}>{title}</h2>
      <p id={textId}>{text}</p>
      {action.error !== null && <ErrorNote error={action.error} t={t} />}
      <div className="dialog-actions">
        <button type="button" className="button ghost" disabled={action.busy} onClick={onClose}>
          {t('cancel')}
        </button>
        <button
          type="button"
          className="button danger"
          data-testid="confirm-ok"
          disabled={action.busy}
          onClick={() => void confirm()}
        >
          {confirmLabel}
        </button>
      </div>
    </dialog>
  );
}

interface SecretPanelProps {
  readonly title: string;
  readonly note: string;
  readonly label: string;
  readonly value: string;
  readonly testId: string;
  readonly onDone: () => void;
}

/** Shows a value the gateway returns only once (an API key secret, a TOTP link), with a copy button. */
export function SecretPanel({ title, note, label, value, testId, onDone }: SecretPanelProps) {
  const { t } = useConsole();
  const [copyState, setCopyState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const field = useRef<HTMLTextAreaElement>(null);
  const titleRef = useRef<HTMLHeadingElement>(null);
  const id = useId();

  useEffect(() => {
    titleRef.current?.focus();
  }, []);

  async function copy(): Promise<void> {
    try {
      await navigator.clipboard.writeText(value);
      setCopyState('copied');
    } catch {
      field.current?.select();
      setCopyState('failed');
    }
  }

  return (
    <section className="panel panel-secret" aria-labelledby={`${id}-title`} data-testid={testId}>
      <h3 id={`${id}-title`} ref={titleRef} tabIndex={-1}>
        {title}
      </h3>
      <p>{note}</p>
      <label htmlFor={id} className="field-label">
        {label}
      </label>
      <textarea
        id={id}
        ref={field}
        className="secret"
        readOnly
        rows={2}
        value={value}
        data-testid={`${testId}-value`}
        onFocus={(event) => event.currentTarget.select()}
      />
      <div className="panel-actions">
        <button
          type="button"
          className="button primary"
          data-testid={`${testId}-copy`}
          onClick={() => void copy()}
        >
          {t('copy')}
        </button>
        <button type="button" className="button ghost" onClick={onDone}>
          {t('done')}
        </button>
        <span className="copy-state" role="status">
          {copyState === 'copied' ? t('copied') : copyState === 'failed' ? t('copyFailed') : ''}
        </span>
      </div>
    </section>
  );
}
