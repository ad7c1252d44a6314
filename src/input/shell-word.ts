/** A path, or a sheet's name, as one shell word: typed back to a person as a command to run. */
export const shellWord = (text: string): string =>
  /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
