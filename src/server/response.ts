import type { SyncResponse } from '../api/metacontroller.js';
import { json } from '../kube/last-applied.js';
import { isDeepFrozen } from '../kube/deep-freeze.js';

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

/**
 * `JSON.stringify(strictResponse(r))`, reusing the text the last-applied compare (src/kube/last-applied.ts)
 * made of each deep-frozen child (src/kube/deep-freeze.ts): the node-group workloads shared between syncs
 * (src/reactions/workload-memo.ts), most of the response, and observed children carried over as the body
 * parser shared them, none of which can have changed since. Other children are serialised afresh.
 */
export function strictResponseJson(r: SyncResponse): string {
  let out = `{"status":${JSON.stringify(r.status)},"children":[`;
  for (let i = 0; i < r.children.length; i++) {
    const c = r.children[i];
    out += (i === 0 ? '' : ',') + (isDeepFrozen(c) ? json(c) : JSON.stringify(c));
  }
  out += ']';
  if (r.resyncAfterSeconds !== undefined) out += `,"resyncAfterSeconds":${JSON.stringify(r.resyncAfterSeconds)}`;
  if (r.finalized !== undefined) out += `,"finalized":${JSON.stringify(r.finalized)}`;
  return `${out}}`;
}
