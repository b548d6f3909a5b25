/** One field of a record before and after a change, for amendment histories. */
export interface FieldChange {
  /** Dotted path into the record, list positions counted from 0: `speeches.2.summary`. */
  field: string;
  before: unknown;
  after: unknown;
}

/** Records are compared key by key; anything else (dates included) by its JSON form. */
const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && [Object.prototype, null].includes(Object.getPrototypeOf(v));

/**
 * The field-level differences between two JSON-like values: lists are compared position by
 * position and objects key by key, so an edited speech shows as `speeches.1.summary` rather than
 * the whole list; an added or removed entry shows with `null` on the missing side.
 *
 * @example diffFields({ a: [1, 2] }, { a: [1, 3], b: 'x' })
 *   // [{ field: 'a.1', before: 2, after: 3 }, { field: 'b', before: null, after: 'x' }]
 */
export function diffFields(before: unknown, after: unknown, path = ''): FieldChange[] {
  const at = (key: string | number) => (path ? `${path}.${key}` : String(key));
  if (Array.isArray(before) && Array.isArray(after)) {
    const changes: FieldChange[] = [];
    for (let i = 0; i < Math.max(before.length, after.length); i++)
      changes.push(...diffFields(before[i], after[i], at(i)));
    return changes;
  }
  if (isPlainObject(before) && isPlainObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return keys.flatMap((key) => diffFields(before[key], after[key], at(key)));
  }
  const b = before ?? null;
  const a = after ?? null;
  return JSON.stringify(b) === JSON.stringify(a) ? [] : [{ field: path, before: b, after: a }];
}
