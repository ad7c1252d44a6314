/**
 * The value at `path` inside parsed JSON, or undefined where any step is missing. Only the data's
 * own keys count: `constructor` or `toString` name nothing in an answer.
 */
export function valueAt(value: unknown, path: readonly string[]): unknown {
  let current = value;
  for (const key of path)
    current =
      typeof current === 'object' && current !== null && Object.hasOwn(current, key)
        ? (current as Record<string, unknown>)[key]
        : undefined;
  return current;
}

/** A field of an answer's JSON body: `field(body, 'billing_info', 'creditos_restantes')`. */
export const field = (body: unknown, ...path: string[]): unknown => valueAt(body, path);
