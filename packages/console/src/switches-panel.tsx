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
  useConsole,
  useLoader,
} from './console-ui.js';
import type { SwitchBoard, SwitchScope, SwitchView } from './staff-api.js';

const scopes = ['character', 'function', 'service'] as const;
const positions = ['off', 'on'] as const;

/** Compliance: switches of characters, functions and the whole service (ASSESS-3), with who, when and why. */
export function SwitchesPanel() {
  const { api, t, locale } = useConsole();
  const board = useLoader(() => api.listSwitches());
  const [preset, setPreset] = useState<{ scope: SwitchScope; target: string; off: boolean } | null>(null);
  const list = { ...board, data: board.data?.switches ?? null };
  const nameOf = (scope: SwitchScope, target: string) => {
    if (scope === 'service') return t('theService');
    const known = scope === 'character' ? board.data?.characters : board.data?.functions;
    return `${t(`switchScope.${scope}`)}${locale === 'zh' ? '：' : ': '}${known?.find((x) => x.id === target)?.name[locale] ?? target}`;
  };
  const offNow = board.data?.offNow ?? [];

  return (
    <section data-testid="switches">
      <PageHeader title={t('switchesTitle')} intro={t('switchesIntro')} />
      <h3>{t('switchesOffNow')}</h3>
      <ul data-testid="switches-off-now">
        {offNow.length === 0 && board.data && <li>{t('switchesNothingOff')}</li>}
        {offNow.map((o) => (
          <li key={`${o.scope}:${o.target}`} data-testid="switch-off-now">
            {nameOf(o.scope, o.target)} {o.by === 'notice' ? t('switchOffByNotice') : ''}
          </li>
        ))}
      </ul>
      {board.data && (
        <ChangeForm
          key={preset ? `${preset.scope}:${preset.target}:${preset.off}` : 'new'}
          board={board.data}
          preset={preset}
          onDone={() => {
            setPreset(null);
            board.reload();
          }}
        />
      )}
      <DataTable
        caption={t('switchesTitle')}
        list={list}
        empty={t('noSwitches')}
        columns={[
          { label: t('columnSwitchTarget'), cell: (s: SwitchView) => nameOf(s.scope, s.target) },
          { label: t('columnSwitchState'), cell: (s) => t(`switchPosition.${s.off ? 'off' : 'on'}`) },
          { label: t('columnSwitchReason'), cell: (s) => s.reason },
          { label: t('columnSwitchBy'), cell: (s) => s.changedBy },
          { label: t('columnSwitchAt'), cell: (s) => formatTime(locale, s.changedAt) },
        ]}
        rowKey={(s) => `${s.scope}:${s.target}`}
        rowData={(s) => ({ 'data-testid': 'switch-row', 'data-target': s.target, 'data-off': String(s.off) })}
        actions={(s) => (
          <RowButton
            kind={s.off ? 'ghost' : 'danger'}
            testId="switch-flip"
            label={s.off ? t('switchTurnOn') : t('switchTurnOff')}
            name={nameOf(s.scope, s.target)}
            onClick={() => setPreset({ scope: s.scope, target: s.target, off: !s.off })}
          />
        )}
      />
    </section>
  );
}

function ChangeForm({
  board,
  preset,
  onDone,
}: {
  board: SwitchBoard;
  preset: { scope: SwitchScope; target: string; off: boolean } | null;
  onDone: () => void;
}) {
  const { api, t, locale } = useConsole();
  const [scope, setScope] = useState<SwitchScope>(preset?.scope ?? 'character');
  const [target, setTarget] = useState(preset?.target ?? '');
  const [position, setPosition] = useState<(typeof positions)[number]>(preset?.off === false ? 'on' : 'off');
  const [reason, setReason] = useState('');
  const targets = scope === 'character' ? board.characters : scope === 'function' ? board.functions : [];
  const ids = targets.map((x) => x.id);
  const chosen = pick(ids, target, ids[0] ?? '');
  const enforced =
    scope === 'function' ? board.functions.find((f) => f.id === chosen)?.enforcedBy : undefined;
  return (
    <FormPanel
      title={t('switchChange')}
      submitLabel={position === 'off' ? t('switchTurnOff') : t('switchTurnOn')}
      busyLabel={t('switchChanging')}
      submitTestId="switch-submit"
      testId="switch-form"
      focusTitle={preset !== null}
      {...(preset ? { onCancel: onDone } : {})}
      onSubmit={async () => {
        await api.setSwitch({
          scope,
          ...(scope === 'service' ? {} : { target: chosen }),
          off: position === 'off',
          reason: reason.trim(),
        });
        setReason('');
        onDone();
      }}
    >
      <ChoiceField
        label={t('switchScope')}
        testId="switch-scope"
        options={scopes}
        optionLabel={(s) => t(`switchScope.${s}`)}
        value={scope}
        onChange={(s) => {
          setScope(s);
          setTarget('');
        }}
      />
      {scope !== 'service' && ids.length > 0 && (
        <ChoiceField
          label={t('switchTarget')}
          hint={
            enforced ? t(enforced === 'gateway' ? 'switchEnforcedGateway' : 'switchEnforcedApp') : undefined
          }
          testId="switch-target"
          options={ids}
          optionLabel={(id) => targets.find((x) => x.id === id)?.name[locale] ?? id}
          value={chosen}
          onChange={setTarget}
        />
      )}
      <ChoiceField
        label={t('switchPosition')}
        testId="switch-position"
        options={positions}
        optionLabel={(p) => t(`switchPosition.${p}`)}
        value={position}
        onChange={setPosition}
      />
      <TextField
        label={t('switchReason')}
        hint={t('switchReasonHint')}
        required
        minLength={3}
        maxLength={500}
        testId="switch-reason"
        value={reason}
        onValue={setReason}
      />
    </FormPanel>
  );
}
