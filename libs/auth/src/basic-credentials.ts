export interface BasicCredentials {
  username: string;
  password: string;
}

/**
 * Parses an `Authorization: Basic <base64(user-id:password)>` header as RFC 7617 defines it:
 * the user-id ends at the first colon and the password may contain colons. Returns null when
 * the header is missing, uses another scheme, is not base64 or has an empty part.
 */
export function parseBasicAuthorization(header: string | undefined): BasicCredentials | null {
  const match = /^Basic +([A-Za-z0-9+/]+={0,2}) *$/i.exec(header ?? '');
  if (!match || match[1].length % 4 === 1) {
    return null;
  }
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const separator = decoded.indexOf(':');
  if (separator <= 0 || separator === decoded.length - 1) {
    return null;
  }

  return { username: decoded.slice(0, separator), password: decoded.slice(separator + 1) };
}
