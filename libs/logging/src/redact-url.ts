/**
 * Path segments that are credentials: a download token fetches a signed PDF or its evidence
 * without any other authentication for as long as it is valid.
 */
const SECRET_PATH_SEGMENTS = [/(\/downloads\/)[^/?#]+/g];

/** Placeholder that replaces a secret path segment in logged URLs. */
export const REDACTED_SEGMENT = '[redacted]';

/**
 * Returns the path of a request URL for a log line: the query string is dropped and secret
 * segments are replaced, so `/api/v1/downloads/<token>` logs as `/api/v1/downloads/[redacted]`.
 */
export function redactUrl(url: string | undefined): string | undefined {
  if (url === undefined) {
    return undefined;
  }
  let path = url.split(/[?#]/)[0];
  for (const segment of SECRET_PATH_SEGMENTS) {
    path = path.replace(segment, `$1${REDACTED_SEGMENT}`);
  }

  return path;
}
