import * as v from 'valibot';

/**
 * valibot walks an object schema's entries with `for…in`, which also visits enumerable keys a
 * host page added to `Object.prototype` (real pages do: see shared/fixtures/hostile-host.html),
 * and then crashes on them. The widget runs on such pages, so every object schema here is built
 * on entries with a null prototype: nothing inherited to walk over.
 */
function own<const E extends v.ObjectEntries>(entries: E): E {
  return Object.assign(Object.create(null) as E, entries);
}

/**
 * A strict object also walks the *input* with `for…in` to find unknown keys, so on such a page
 * every frame failed with "__acmeTracking: unknown field". There it is given a null-prototype copy
 * of the input's own enumerable keys instead: only what the sender really put in the object is
 * checked. On a clean page (and in the relay) nothing is inherited, and the input is checked as it
 * is: the copy, a dictionary-mode object, was a twentieth of what the relay allocated per message.
 */
function inheritsEnumerableKeys(input: object): boolean {
  for (const key in input) if (!Object.hasOwn(input, key)) return true;
  return false;
}

function ownKeysOnly(input: object): Record<string, unknown> {
  const copy = Object.create(null) as Record<string, unknown>;
  for (const key of Object.keys(input)) copy[key] = (input as Record<string, unknown>)[key];
  return copy;
}

export const object = <const E extends v.ObjectEntries>(entries: E) => v.object(own(entries));
export const strictObject = <const E extends v.ObjectEntries>(entries: E) => {
  const schema = v.strictObject(own(entries));
  const run = schema['~run'];
  const ownKeysRun: typeof run = (dataset, config) => {
    const input: unknown = dataset.value;
    const checked =
      input && typeof input === 'object' && !Array.isArray(input) && inheritsEnumerableKeys(input)
        ? { ...dataset, value: ownKeysOnly(input) }
        : dataset;
    return run.call(schema, checked, config);
  };
  (schema as { '~run': typeof run })['~run'] = ownKeysRun;
  return schema;
};
