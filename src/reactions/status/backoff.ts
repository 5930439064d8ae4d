/** First resync while a rollout is awaited, in seconds. */
export const FIRST_RESYNC_SECONDS = 5;
/** Longest resync while a rollout is awaited, in seconds. */
export const MAX_RESYNC_SECONDS = 60;

/**
 * `resyncAfterSeconds` while waiting for a rollout, as a pure function of how long the wait has lasted
 * (measured from the waiting condition's lastTransitionTime, so identical requests at an identical clock
 * get identical answers). The delay doubles each time the elapsed time passes the sum of the delays so
 * far — 5 s, 10 s, 20 s, 40 s, then 60 s — which is what a retry loop that doubled its delay would do,
 * without the hook remembering anything between calls.
 */
export function rolloutResyncSeconds(elapsedSeconds: number): number {
  const elapsed = Number.isFinite(elapsedSeconds) && elapsedSeconds > 0 ? elapsedSeconds : 0;
  // Delays d_k = 5·2^k; the k-th starts once 5·(2^k − 1) seconds have passed.
  const k = Math.floor(Math.log2(elapsed / FIRST_RESYNC_SECONDS + 1));
  return Math.min(MAX_RESYNC_SECONDS, FIRST_RESYNC_SECONDS * 2 ** k);
}
