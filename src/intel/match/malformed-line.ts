/** A line a reader skipped, with where it was and why. */
export interface MalformedLine {
  file: string;
  line: number;
  reason: string;
}

/** `conn.log:12: Cannot parse Zeek log line: expected 21 fields, found 3` */
export function formatMalformedLine(bad: MalformedLine): string {
  return `${bad.file}:${bad.line}: ${bad.reason}`;
}
