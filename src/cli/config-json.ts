import { printParseErrorCode, visit } from 'jsonc-parser';

/** What is wrong at a JSON text's first mistake: the value of `errors.configInvalid.json`'s select. */
export type JsonProblem =
  | 'empty'
  | 'unquoted'
  | 'comment'
  | 'comma'
  | 'extraComma'
  | 'name'
  | 'colon'
  | 'value'
  | 'openText'
  | 'unclosed'
  | 'after'
  | 'other';

/** Where a JSON text first goes wrong (1-based, as an editor counts), and what is wrong there. */
export interface JsonMistake {
  line: number;
  column: number;
  problem: JsonProblem;
}

/** jsonc-parser's error names, as what a person writing a config file did. */
const PROBLEMS: Readonly<Record<string, JsonProblem>> = {
  InvalidSymbol: 'unquoted',
  InvalidCommentToken: 'comment',
  UnexpectedEndOfComment: 'comment',
  CommaExpected: 'comma',
  PropertyNameExpected: 'name',
  ColonExpected: 'colon',
  ValueExpected: 'value',
  UnexpectedEndOfString: 'openText',
  InvalidCharacter: 'openText',
  CloseBraceExpected: 'unclosed',
  CloseBracketExpected: 'unclosed',
  EndOfFileExpected: 'after',
};

/**
 * The first mistake of `text` read as strict JSON (no comments, no trailing comma), by
 * jsonc-parser's scanner: V8's own message names no line and column on Node 20, and words them
 * differently on each major. Undefined when the scanner finds none.
 */
export function firstJsonMistake(text: string): JsonMistake | undefined {
  if (text.trim() === '') return { line: 1, column: 1, problem: 'empty' };
  let first: JsonMistake | undefined;
  visit(
    text,
    {
      onError: (code, offset, _length, line, column) => {
        if (first) return;
        let problem = PROBLEMS[printParseErrorCode(code)] ?? 'other';
        // A name or value expected after a comma, where the object or list closes: a comma too many.
        const closes = /,\s*$/.test(text.slice(0, offset)) && /^\s*[}\]]/.test(text.slice(offset));
        if ((problem === 'name' || problem === 'value') && closes) problem = 'extraComma';
        first = { line: line + 1, column: column + 1, problem };
      },
    },
    { disallowComments: true, allowTrailingComma: false },
  );
  return first;
}
