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

export const object = <const E extends v.ObjectEntries>(entries: E) => v.object(own(entries));
export const strictObject = <const E extends v.ObjectEntries>(entries: E) => v.strictObject(own(entries));
