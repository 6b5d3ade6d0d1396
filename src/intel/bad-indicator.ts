/** An input value a source skipped, with where it was: "FILE:LINE" or "pulse ID". */
export interface BadIndicator {
  source: string;
  location: string;
  value: string;
  reason: string;
}

/** `feeds/drop.txt:12: Invalid cidr "1.2.3.0/33": expected ADDRESS/PREFIX` */
export function formatBadIndicator(bad: BadIndicator): string {
  return `${bad.location}: ${bad.reason}`;
}
