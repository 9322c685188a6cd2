import type { Compilable, CompiledQuery } from 'kysely';

const slotPrefix = '\u0000cg-slot:';

interface Template {
  readonly compiled: CompiledQuery;
  /** For each bound parameter: the slot it takes its value from, or a constant baked in at build time. */
  readonly parameters: readonly ({ readonly slot: string } | { readonly constant: unknown })[];
}

/**
 * Compiles each hot query once and re-binds only its parameters afterwards.
 *
 * Kysely's builder and compiler cost some 20–50 µs per query, several times what SQLite needs to run it;
 * a turn runs about seven. A template is built with unique sentinel values in its slots; the positions of
 * the sentinels in the compiled parameter list say where each value goes. Only the values change between
 * calls, never the SQL text, so a statement cache below keeps hitting.
 *
 * Builders passed here must not depend on the values (no branching on them): the key names the shape.
 */
export class QueryTemplates {
  readonly #templates = new Map<string, Template>();
  readonly #maxTemplates: number;

  constructor(maxTemplates = 200) {
    this.#maxTemplates = maxTemplates;
  }

  /**
   * The compiled query of shape `key` with `values` bound. `build` receives one sentinel per slot name and
   * is called only the first time a key is seen.
   *
   * @example
   * const q = templates.bind('getUser', ['id'], (s) => db.selectFrom('users').selectAll().where('id', '=', s.id), { id });
   * const { rows } = await db.executeQuery(q);
   */
  bind<P extends string, R>(
    key: string,
    slots: readonly P[],
    build: (slot: Readonly<Record<P, never>>) => Compilable<R>,
    values: Readonly<Record<P, unknown>>,
  ): CompiledQuery<R> {
    let template = this.#templates.get(key);
    if (template === undefined) {
      const sentinels: Record<string, string> = {};
      for (const name of slots) sentinels[name] = `${slotPrefix}${name}`;
      const compiled = build(sentinels as Readonly<Record<P, never>>).compile();
      template = {
        compiled,
        parameters: compiled.parameters.map((value) =>
          typeof value === 'string' && value.startsWith(slotPrefix)
            ? { slot: value.slice(slotPrefix.length) }
            : { constant: value },
        ),
      };
      if (this.#templates.size < this.#maxTemplates) this.#templates.set(key, template);
    }
    const parameters = template.parameters.map((p) =>
      'slot' in p ? (values as Readonly<Record<string, unknown>>)[p.slot] : p.constant,
    );
    return { ...template.compiled, parameters } as CompiledQuery<R>;
  }
}
