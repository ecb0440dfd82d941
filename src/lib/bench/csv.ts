// CSV as RFC 4180 writes it (CRLF rows; fields with comma, quote, CR or LF quoted, quotes doubled),
// and a reader for it. The reader throws a SyntaxError on an unterminated quote or a stray one.

/** One field, quoted when it needs to be. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) || value !== value.trim()
    ? `"${value.replaceAll('"', '""')}"`
    : value;
}

/** Rows to CSV text, each row ending in CRLF. */
export function toCsvText(rows: readonly (readonly string[])[]): string {
  return rows.map((row) => row.map(csvField).join(',') + '\r\n').join('');
}

/** CSV text to rows of fields; accepts CRLF or LF row ends and a missing final row end. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let afterQuote = false;
  let i = 0;
  const endField = () => {
    row.push(field);
    field = '';
    afterQuote = false;
  };
  while (i < text.length) {
    const c = text[i] ?? '';
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        afterQuote = true;
      } else {
        field += c;
      }
      i += 1;
      continue;
    }
    if (c === ',') {
      endField();
    } else if (c === '\r' || c === '\n') {
      endField();
      rows.push(row);
      row = [];
      if (c === '\r' && text[i + 1] === '\n') i += 1;
    } else if (c === '"') {
      if (field !== '' || afterQuote) throw new SyntaxError(`CSV: stray quote at character ${i}`);
      quoted = true;
    } else {
      if (afterQuote) throw new SyntaxError(`CSV: text after a closing quote at character ${i}`);
      field += c;
    }
    i += 1;
  }
  if (quoted) throw new SyntaxError('CSV: a quoted field is not closed');
  if (field !== '' || afterQuote || row.length > 0) {
    endField();
    rows.push(row);
  }
  return rows;
}
