/**
 * A deterministic, short description of any value, for traces and messages.
 * Distinguishes what JSON would merge: undefined, null, NaN, -0, '' and "".
 * It never throws: a revoked proxy, a throwing getter or an object without a
 * prototype is described as best it can be, never allowed to crash the
 * harness that is reporting on it.
 */
export function describe(value: unknown, depth = 0): string {
  try {
    return describeUnsafe(value, depth);
  } catch {
    return '[a value that cannot be inspected]';
  }
}

function describeUnsafe(value: unknown, depth: number): string {
  switch (typeof value) {
    case 'undefined':
      return 'undefined';
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Object.is(value, -0) ? '-0' : String(value);
    case 'bigint':
      return `${value}n`;
    case 'boolean':
      return String(value);
    case 'symbol':
      return value.toString();
    case 'function':
      return `[function ${typeof value.name === 'string' && value.name !== '' ? value.name : 'anonymous'}]`;
  }
  if (value === null) return 'null';
  if (depth > 2) return Array.isArray(value) ? '[…]' : '{…}';
  if (Array.isArray(value)) return `[${value.map((v) => describe(v, depth + 1)).join(', ')}]`;
  if (value instanceof Error) return `${describeField(value, 'name')}: ${describeField(value, 'message')}`;
  const entries: string[] = [];
  for (const key of Object.keys(value as object)) {
    let field: unknown;
    try {
      field = (value as Record<string, unknown>)[key];
    } catch {
      entries.push(`${key}:[getter threw]`);
      continue;
    }
    entries.push(`${key}:${describe(field, depth + 1)}`);
  }
  return `{${entries.join(',')}}`;
}

function describeField(error: Error, key: 'name' | 'message'): string {
  try {
    const field: unknown = error[key];
    return typeof field === 'string' ? field : describe(field, 3);
  } catch {
    return `[${key} getter threw]`;
  }
}
