export function formatTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  const s = ms / 1000;
  return s < 60 ? `${s.toFixed(1)} s` : `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}

/** A run's wall time: from start to finish, or to now while it runs; null before it starts. */
export function runDuration(startedAt: string | null, finishedAt: string | null): number | null {
  if (!startedAt) return null;
  const end = finishedAt ? Date.parse(finishedAt) : Date.now();
  return Math.max(0, end - Date.parse(startedAt));
}
