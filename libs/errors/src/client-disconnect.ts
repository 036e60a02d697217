/**
 * Error codes that Node.js streams raise when the other end of a response went away:
 * `pipeline` rejects with `ERR_STREAM_PREMATURE_CLOSE` when the response closes before it
 * finished, and a socket write fails with `ECONNRESET` or `EPIPE` after the peer reset it.
 */
const DISCONNECT_CODES = new Set(['ERR_STREAM_PREMATURE_CLOSE', 'ERR_STREAM_DESTROYED', 'ECONNRESET', 'EPIPE', 'ECONNABORTED']);

/**
 * Tells whether `exception` means the client closed the connection before `response` was
 * fully written, as when a user cancels a download. That is not a server error.
 *
 * NOTE: a source stream that closes early without an error also raises
 * `ERR_STREAM_PREMATURE_CLOSE`; the response cannot tell it from a client abort, so it counts as one.
 */
export function isClientDisconnect(exception: unknown, response: { writableFinished: boolean }): boolean {
  if (response.writableFinished || typeof exception !== 'object' || exception === null) {
    return false;
  }
  const code = (exception as { code?: unknown }).code;

  return typeof code === 'string' && DISCONNECT_CODES.has(code);
}
