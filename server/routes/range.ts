// HTTP Range (RFC 9110) for one byte range: enough for video seeking and resumed downloads.

export type RangeRequest = { start: number; end: number } | 'unsatisfiable' | undefined;

/** Undefined means "send the whole file" (no header, or a form we choose to ignore, such as multiple ranges). */
export function parseRange(header: string | undefined, size: number): RangeRequest {
  if (!header) return undefined;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return undefined;
  if (match[1] === '') {
    const suffix = Number(match[2]);
    if (suffix === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(match[1]);
  // "bytes=9-5" is not a valid range at all: ignored, so the whole file is sent (RFC 9110 14.2).
  if (match[2] !== '' && Number(match[2]) < start) return undefined;
  const end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  if (start >= size) return 'unsatisfiable';
  return { start, end };
}
