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
