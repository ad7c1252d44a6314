/**
 * Sizes no real export reaches, past which the input is refused with a code rather than read
 * into memory: they bound what one record can cost (the README lists them).
 */

/** A cell: 16 MB (Excel holds 32,767 characters in a cell; a CRM's longest notes are far shorter). */
export const MAX_CELL_BYTES = 16 * 1024 * 1024;
/** A row (a record, its quoted line breaks included): 32 MB. */
export const MAX_RECORD_BYTES = 32 * 1024 * 1024;
/** Fields in a row, the header included: Excel's own limit of 16,384 columns (A to XFD). */
export const MAX_COLUMNS = 16_384;
/** The header row: 1 MB (16,384 headers of 64 characters each). */
export const MAX_HEADER_BYTES = 1024 * 1024;
/** Standard input, read once into a temporary file: 1 GB (some ten million contacts). */
export const MAX_SPOOL_BYTES = 1024 * 1024 * 1024;
/** Room the spool leaves on its disk, whatever the limit above. */
export const SPOOL_DISK_RESERVE = 256 * 1024 * 1024;

/** Bytes in a person's units. */
export const sizeText = (bytes: number): string =>
  bytes >= 1024 * 1024 * 1024
    ? `${+(bytes / 1024 / 1024 / 1024).toFixed(1)} GB`
    : bytes >= 1024 * 1024
      ? `${+(bytes / 1024 / 1024).toFixed(1)} MB`
      : `${+(bytes / 1024).toFixed(1)} KB`;
