// Machine-readable output (--json): converts inversa values to plain JSON. Matrices become nested
// arrays, typed arrays become arrays, and non-finite numbers become the strings "NaN", "Infinity",
// "-Infinity" — JSON.stringify would silently turn them into null, hiding e.g. an infinite
// condition number.

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** Convert a value to plain JSON data (see the file comment for the rules). */
export function toJsonValue(value: unknown): JsonValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return value.toString();
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    return Array.from(value as unknown as ArrayLike<number>, (entry) => toJsonValue(entry));
  }
  if (Array.isArray(value)) return value.map(toJsonValue);
  if (isMatrixLike(value)) {
    const rows: JsonValue[] = [];
    for (let i = 0; i < value.rows; i++) {
      rows.push(Array.from(value.data.subarray(i * value.cols, (i + 1) * value.cols), (entry) => toJsonValue(entry)));
    }
    return rows;
  }
  if (value instanceof Map) return toJsonValue(Object.fromEntries(value));
  if (value instanceof Set) return toJsonValue([...value]);
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Error) return { name: value.name, message: value.message };
  if (typeof value === 'object') {
    const withToJson = value as { toJSON?: () => unknown };
    if (typeof withToJson.toJSON === 'function') return toJsonValue(withToJson.toJSON());
    const out: { [key: string]: JsonValue } = {};
    for (const [key, entry] of Object.entries(value)) {
      if (entry === undefined || typeof entry === 'function') continue;
      out[key] = toJsonValue(entry);
    }
    return out;
  }
  return null; // functions and symbols have no JSON form
}

/** JSON text (2-space indent by default) with a trailing newline. */
export function stringifyJson(value: unknown, indent = 2): string {
  return JSON.stringify(toJsonValue(value), null, indent) + '\n';
}

/** Matrix (rows, cols, Float64Array data), recognised structurally so common does not depend on linalg. */
function isMatrixLike(value: unknown): value is { rows: number; cols: number; data: Float64Array } {
  const candidate = value as { rows?: unknown; cols?: unknown; data?: unknown; count?: unknown };
  return typeof value === 'object' && value !== null && typeof candidate.rows === 'number' && typeof candidate.cols === 'number'
    && candidate.data instanceof Float64Array && candidate.count === undefined
    && candidate.data.length === (candidate.rows as number) * (candidate.cols as number);
}
