import { FluenceError } from '../../errors.js';
import { message, wordList, type WordList } from '../../i18n/message.js';
import type { SheetTab } from './workbook.js';

/** A workbook's tabs in the reader's language, hidden ones said so (a refusal, the columns line). */
export function tabList(tabs: readonly Pick<SheetTab, 'name' | 'state'>[]): WordList {
  return wordList(
    tabs.map((tab) =>
      message('errors.sheetNotFound.tab', {
        name: JSON.stringify(tab.name),
        hidden: tab.state === 'visible' ? 'no' : 'yes',
      }),
    ),
  );
}

/**
 * The sheet to read: the one named (as Excel compares names: without case), else the first tab a
 * person sees (never a hidden one, nor a chart), whatever order the sheets are stored in.
 */
export function chooseSheet(tabs: readonly SheetTab[], requested: string | undefined, name: string): SheetTab {
  if (requested !== undefined) {
    const tab =
      tabs.find((t) => t.name === requested) ?? tabs.find((t) => t.name.toLowerCase() === requested.toLowerCase());
    if (!tab)
      throw new FluenceError(
        'SHEET_NOT_FOUND',
        message('errors.sheetNotFound', { name, requested: JSON.stringify(requested), tabs: tabList(tabs) }),
      );
    if (tab.kind !== 'worksheet')
      throw new FluenceError(
        'SHEET_NOT_FOUND',
        message('errors.sheetNotFound.chart', { name, sheet: JSON.stringify(tab.name), tabs: tabList(tabs) }),
      );
    return tab;
  }
  const worksheets = tabs.filter((t) => t.kind === 'worksheet');
  // Excel keeps at least one tab visible; a workbook written otherwise is read from its first worksheet.
  const tab = worksheets.find((t) => t.state === 'visible') ?? worksheets[0];
  if (!tab)
    throw new FluenceError(
      'SHEET_NOT_FOUND',
      message('errors.sheetNotFound.none', { name, count: tabs.length, tabs: tabList(tabs) }),
    );
  return tab;
}
