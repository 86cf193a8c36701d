// The column names in a CSV/TSV file's first line, read in the browser only to offer them while the
// seller maps columns (the server parses the whole file with csv-parse). UTF-8, else the legacy Korean
// encoding (EUC-KR/CP949) Korean seller centres still export; the delimiter is the one the line uses
// most. An XLSX file has no readable first line here: the seller types the names instead.
const DELIMITERS = [',', '\t', ';', '|'];
const FIRST_LINE_BYTES = 64 * 1024;

function decodeLine(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('euc-kr').decode(bytes);
  }
}

/** One line split at the delimiter, a quoted field kept whole ("a, b"), doubled quotes made single. */
function splitLine(line: string, delimiter: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let index = 0; index < line.length; index++) {
    const char = line[index];
    if (quoted) {
      if (char === '"' && line[index + 1] === '"') (field += '"'), index++;
      else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"' && field.trim() === '') quoted = true;
    else if (char === delimiter) fields.push(field), (field = '');
    else field += char;
  }
  fields.push(field);
  return fields.map((name) => name.trim()).filter(Boolean);
}

export async function fileHeaders(file: File): Promise<string[]> {
  if (!/\.(csv|tsv|txt)$/i.test(file.name)) return [];
  const start = new Uint8Array(await file.slice(0, FIRST_LINE_BYTES).arrayBuffer());
  const end = start.indexOf(0x0a);
  const line = decodeLine(end === -1 ? start : start.subarray(0, end)).replace(/^\uFEFF/, '').replace(/\r$/, '');
  const delimiter = DELIMITERS.reduce((best, candidate) => (line.split(candidate).length > line.split(best).length ? candidate : best));
  return [...new Set(splitLine(line, delimiter))];
}
