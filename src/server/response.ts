import type { SyncResponse } from '../api/metacontroller.js';

/** Metacontroller's strict (v2) decoder rejects any other top-level key. */
export const SYNC_RESPONSE_KEYS = ['status', 'children', 'resyncAfterSeconds', 'finalized'] as const;

/**
 * Rebuilds the response with only the keys Metacontroller's strict decoder accepts, in a fixed order.
 * `status` and `children` are the core's canonical objects, serialized as they are (never re-sorted).
 */
export function strictResponse(r: SyncResponse): SyncResponse {
  const out: SyncResponse = { status: r.status, children: r.children };
  if (r.resyncAfterSeconds !== undefined) out.resyncAfterSeconds = r.resyncAfterSeconds;
  if (r.finalized !== undefined) out.finalized = r.finalized;
  return out;
}
