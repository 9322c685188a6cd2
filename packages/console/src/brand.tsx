/** The product's mark and name, with what this page is (the demo chat, the staff console). */
export function Brand({ name, title }: { name: string; title: string }) {
  return (
    <div className="brand">
      <span className="logo" aria-hidden="true">
        cg
      </span>
      <div className="brand-text">
        <h1>{name}</h1>
        <p>{title}</p>
      </div>
    </div>
  );
}

interface LanguageButtonProps {
  /** The page's translator; only the toggle's two texts are asked for. */
  readonly t: (key: 'languageToggle' | 'languageToggleLabel') => string;
  readonly onToggle: () => void;
  /** Floats in a corner, for pages without a header. */
  readonly floating?: boolean;
  /** The button's `data-testid`. */
  readonly testId?: string;
}

/** Switches the page between Chinese and English. */
export function LanguageButton({
  t,
  onToggle,
  floating = false,
  testId = 'lang-toggle',
}: LanguageButtonProps) {
  return (
    <button
      type="button"
      className={`button ghost${floating ? ' floating-language' : ''}`}
      data-testid={testId}
      aria-label={t('languageToggleLabel')}
      title={t('languageToggleLabel')}
      onClick={onToggle}
    >
      {t('languageToggle')}
    </button>
  );
}
