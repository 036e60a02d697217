/**
 * Client examples shown in the API documentation of the approvals route. The end-to-end tests
 * run both against the API, so the documented steps are known to work.
 */

/** Node.js 18+ with `jose` 5: sign an approval and post it. */
export const NODE_APPROVAL_EXAMPLE = `import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { importPKCS8, SignJWT } from 'jose';

const idpUid = process.env.IDP_UID;             // the provider uid returned at registration
const signatoryUid = process.env.SIGNATORY_UID; // the signatory whose identity was checked
const privateKey = await importPKCS8(readFileSync('idp.key', 'utf8'), 'ES256');

const jws = await new SignJWT({
  identity_provider_uid: idpUid,
  signatory_uid: signatoryUid,
  verification: { method: 'identity_document', document_type: 'passport', checked_at: new Date().toISOString() },
})
  .setProtectedHeader({ alg: 'ES256', kid: idpUid, typ: 'JWT' })
  .setIssuedAt()
  .setJti(randomUUID())
  .sign(privateKey);

const response = await fetch(\`\${process.env.SECUSIGN_URL}/api/v1/identity-providers/\${idpUid}/approvals\`, {
  method: 'POST',
  headers: { 'content-type': 'application/jose' },
  body: jws,
});
console.log(response.status, await response.json());
`;

/**
 * Bash with OpenSSL, xxd and curl. OpenSSL writes an ECDSA signature in DER, which the script
 * converts to the raw r||s form that JWS requires.
 */
export const SHELL_APPROVAL_EXAMPLE = `#!/usr/bin/env bash
# Needs SECUSIGN_URL, IDP_UID, SIGNATORY_UID, and the provider's private key in idp.key (PEM).
set -euo pipefail
b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }

header=$(printf '{"alg":"ES256","kid":"%s","typ":"JWT"}' "$IDP_UID" | b64url)
payload=$(printf '{"identity_provider_uid":"%s","signatory_uid":"%s","iat":%s,"jti":"%s","verification":{"method":"identity_document","document_type":"passport","checked_at":"%s"}}' \\
  "$IDP_UID" "$SIGNATORY_UID" "$(date +%s)" "$(openssl rand -hex 16)" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" | b64url)

# openssl writes the signature as DER, SEQUENCE { INTEGER r, INTEGER s }. ES256 (RFC 7518,
# section 3.4) needs r and s as two 32-byte big-endian numbers, concatenated: left-pad each
# to 64 hex digits, join them and encode the 64 bytes in base64url.
printf '%s.%s' "$header" "$payload" | openssl dgst -sha256 -sign idp.key -out signature.der
r_s=$(openssl asn1parse -inform DER -in signature.der | awk -F: '/INTEGER/ { printf "%64s", $NF }' | tr ' ' 0)
signature=$(printf '%s' "$r_s" | xxd -r -p | b64url)

curl -sS -X POST "$SECUSIGN_URL/api/v1/identity-providers/$IDP_UID/approvals" \\
  -H 'Content-Type: application/jose' --data-binary "$header.$payload.$signature"
`;
