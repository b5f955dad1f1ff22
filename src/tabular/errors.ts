/**
 * The error of a table a user gave that owlet cannot use (a ragged CSV, a missing column, text in a
 * numeric column, an empty file): its message names the file, the row or the column, and what to do.
 * The command line prints it as a user's mistake, without a stack.
 */
export class TabularDataError extends Error {
  override name = 'TabularDataError';
}
