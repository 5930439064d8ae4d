/**
 * A body nested deeper than the recursive walks of a sync can follow (JSON.stringify, the canonicaliser,
 * structuredClone: a few thousand levels in a request handler) overflows the stack. No Kubernetes object
 * nests like that (a pod template's env valueFrom is about 12 levels), so the routes do not scan every body
 * for its depth before parsing — that scan was 60 µs of a typical 44 KiB sync's ~600 µs of CPU — but
 * recognise the overflow where it happens and answer 400, to which Metacontroller responds by changing
 * nothing. JSON.parse itself is not recursive, and a deep part of the body that no code walks (the
 * `controller` object, an observed child's spec) costs nothing and is answered like any other body.
 *
 * Inside a reaction an overflow is that reaction's failure like any other (Synced=False, ReactionFailed,
 * its children carried over); it reaches the route only from outside the reactions (the parent's
 * defaulting, carrying over an unreadable child, serialising the answer).
 */
export const TOO_DEEP_MESSAGE = 'body nests objects or arrays deeper than the hook can walk';

export function isStackOverflow(err: unknown): boolean {
  return err instanceof RangeError && err.message.includes('call stack');
}
