/** Pause durations are parsed once, by the rules engine, exactly as the controller does (validation rule 36). */
export { pauseDurationSeconds } from '../rules/duration';

/** Seconds as people write them: `60s`, `90s`, `10m`, `2m30s`, `1h`, `2h5m` (under 100 s, plain seconds). */
export function formatSeconds(seconds: number): string {
  if (seconds < 100) return `${seconds}s`;
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return `${h ? `${h}h` : ''}${m ? `${m}m` : ''}${s ? `${s}s` : ''}`;
}
