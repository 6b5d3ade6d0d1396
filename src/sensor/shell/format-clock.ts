/** `HH:MM:SS` (UTC) of an epoch time. */
export function formatClock(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(11, 19);
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `Thu Nov 28 17:06:29 UTC 2026`, as date(1) prints it in UTC. */
export function formatDate(epochMs: number): string {
  const now = new Date(epochMs);
  return `${DAYS[now.getUTCDay()]} ${MONTHS[now.getUTCMonth()]} ${String(now.getUTCDate()).padStart(2)} ${formatClock(epochMs)} UTC ${now.getUTCFullYear()}`;
}

/** uptime's `up 3 days,  4:12` part. */
export function formatUptime(seconds: number): string {
  const days = Math.floor(seconds / 86_400);
  const hours = Math.floor((seconds % 86_400) / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const clock = hours > 0 ? `${String(hours).padStart(2)}:${String(minutes).padStart(2, '0')}` : `${minutes} min`;
  if (days === 0) return `up ${clock}`;
  return `up ${days} day${days === 1 ? '' : 's'}, ${clock}`;
}
