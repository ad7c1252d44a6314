import { IntlMessageFormat } from 'intl-messageformat';

/** The literal words of an ICU text: what is outside its values, inside every plural and select case. */
export function icuLiterals(text: string, lang = 'en'): string[] {
  const found: string[] = [];
  const walk = (nodes: readonly unknown[]): void => {
    for (const node of nodes as Array<{
      type: number;
      value?: unknown;
      options?: Record<string, { value: unknown[] }>;
    }>) {
      if (node.type === 0 && typeof node.value === 'string') found.push(node.value);
      for (const option of Object.values(node.options ?? {})) walk(option.value);
    }
  };
  walk(new IntlMessageFormat(text, lang, undefined, { ignoreTag: true }).getAst());
  return found;
}
