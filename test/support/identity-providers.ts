import { randomUUID } from 'node:crypto';
import { createPrivateKey, KeyObject } from 'node:crypto';
import { SignJWT, type JWTPayload } from 'jose';
import { adminAuthorization } from './clients';
import { request, TestResponse } from './http';
import type { TestApp } from './test-app';
import { expectStatus } from './transactions';

export interface TestIdentityProvider {
  uid: string;
  /** The private key returned at registration. */
  privateKey: KeyObject;
}

/** Registers a provider whose key pair the platform generates, and keeps the returned private key. */
export async function createTestIdentityProvider(testApp: TestApp, name = 'Test identity provider'): Promise<TestIdentityProvider> {
  const response = await request(testApp.baseUrl, 'POST', '/api/v1/admin/identity-providers', { authorization: adminAuthorization(), json: { name } });
  const body = expectStatus(response, 201) as { uid: string; private_key: string };

  return { uid: body.uid, privateKey: createPrivateKey(body.private_key) };
}

export interface ApprovalOptions {
  /** Claims that replace or add to the valid defaults; `undefined` values remove a claim. */
  claims?: Record<string, unknown>;
  /** Header members that replace the defaults (`alg` ES256, `kid` the provider uid). */
  header?: Record<string, unknown>;
  /** Signs with this key instead of the provider's. */
  key?: KeyObject;
}

/** Signs an approval for `signatoryUid` as the provider would, with `jose`. */
export async function signApproval(provider: TestIdentityProvider, signatoryUid: string, options: ApprovalOptions = {}): Promise<string> {
  const claims: Record<string, unknown> = {
    identity_provider_uid: provider.uid,
    signatory_uid: signatoryUid,
    iat: Math.floor(Date.now() / 1000),
    jti: randomUUID(),
    verification: { method: 'identity_document', document_type: 'passport', checked_at: new Date().toISOString() },
    ...options.claims,
  };
  for (const [name, value] of Object.entries(claims)) {
    if (value === undefined) {
      delete claims[name];
    }
  }

  return new SignJWT(claims as JWTPayload)
    .setProtectedHeader({ alg: 'ES256', kid: provider.uid, typ: 'JWT', ...options.header } as { alg: string })
    .sign(options.key ?? provider.privateKey);
}

/** Posts an approval body to the provider's approvals route. */
export function postApproval(testApp: TestApp, providerUid: string, jws: string, contentType = 'application/jose'): Promise<TestResponse> {
  return request(testApp.baseUrl, 'POST', `/api/v1/identity-providers/${providerUid}/approvals`, { headers: { 'content-type': contentType }, body: jws });
}
