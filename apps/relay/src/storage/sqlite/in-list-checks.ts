import type { Database } from 'better-sqlite3';

/**
 * The CHECK constraints that list three values or more. SQLite evaluates `column IN ('a', 'b',
 * 'c')` by building a temporary B-tree of the list every time a statement runs, and a CHECK runs
 * with every write that sets its column: a message's two statements built two of them
 * (`author_kind`, `status`), 20–30 % of their time (docs/performance.md). Spelt with `=` and
 * `OR`, the same constraint is three or four comparisons.
 */
export const IN_LIST_CHECKS: ReadonlyArray<{ table: string; column: string; values: readonly string[] }> = [
  { table: 'conversation', column: 'status', values: ['open', 'pending', 'snoozed', 'resolved'] },
  { table: 'conversation', column: 'priority', values: ['none', 'low', 'medium', 'high', 'urgent'] },
  { table: 'message', column: 'author_kind', values: ['visitor', 'agent', 'system'] },
];

export const inListText = (column: string, values: readonly string[]) =>
  `${column} IN (${values.map((value) => `'${value}'`).join(', ')})`;

export const equalitiesText = (column: string, values: readonly string[]) =>
  `(${values.map((value) => `${column} = '${value}'`).join(' OR ')})`;

/**
 * Migration 7: rewrites those constraints in the tables' stored definitions. The rows are not
 * touched and need no check (the new constraint accepts exactly what the old one did), so the
 * text is edited in sqlite_schema, the procedure SQLite documents for constraint changes that
 * leave the stored content as it is (https://www.sqlite.org/lang_altertable.html#otheralter):
 * instant on any size of database, where rebuilding `message` takes ~10 s per million messages.
 *
 * It runs inside the migration's transaction. Every rewrite must find its text exactly once,
 * and the schema is read back before the transaction ends: a text SQLite could not parse, or a
 * constraint that is not where it was expected, throws and rolls everything back.
 */
export function rewriteInListChecks(db: Database): void {
  const version = db.pragma('schema_version', { simple: true }) as number;
  const definition = db.prepare("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = ?").pluck();
  // better-sqlite3 opens connections in SQLite's defensive mode, which forbids writing sqlite_schema
  // (even preparing such a statement).
  db.unsafeMode(true);
  try {
    db.pragma('writable_schema = ON');
    const rewrite = db.prepare(
      "UPDATE sqlite_schema SET sql = replace(sql, @from, @to) WHERE type = 'table' AND name = @table",
    );
    for (const { table, column, values } of IN_LIST_CHECKS) {
      const from = inListText(column, values);
      const sql = definition.get(table) as string | undefined;
      if (sql === undefined || sql.split(from).length !== 2) {
        throw new Error(`Migration 7: expected "${from}" once in the definition of table ${table}`);
      }
      rewrite.run({ table, from, to: equalitiesText(column, values) });
    }
    // Other connections see the new number and read the schema again.
    db.pragma(`schema_version = ${version + 1}`);
    // Off, and this connection reads the schema again now: statements prepared after the
    // migrations get the new checks.
    db.pragma('writable_schema = RESET');
  } finally {
    db.pragma('writable_schema = OFF');
    db.unsafeMode(false);
  }
  for (const { table } of IN_LIST_CHECKS) db.prepare(`SELECT * FROM ${table} LIMIT 0`).all();
}
