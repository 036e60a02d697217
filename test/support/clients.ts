import { randomBytes } from 'node:crypto';
import { basicAuthorization, request } from './http';
import { ADMIN_PASSWORD, ADMIN_USERNAME, TestApp } from './test-app';

export interface TestClient {
  uid: string;
  clientId: string;
  clientSecret: string;
  webhookSecret: string;
  /** `Basic …` header value for this client's credentials. */
  authorization: string;
}

/** Fields of `POST /api/v1/admin/clients` (`name`, `display_name`, `primary_color`, `logo_url`, `sms_sender`). */
export type TestClientOverrides = Record<string, unknown>;

/** Authorization header value for the administrator credentials that `startTestApp` configures. */
export function adminAuthorization(): string {
  return basicAuthorization(ADMIN_USERNAME, ADMIN_PASSWORD);
}

/** Creates a client through the admin API and returns its one-time secrets and Basic header. */
export async function createTestClient(testApp: TestApp, overrides: TestClientOverrides = {}): Promise<TestClient> {
  const response = await request(testApp.baseUrl, 'POST', '/api/v1/admin/clients', {
    authorization: adminAuthorization(),
    json: { name: `Test client ${randomBytes(4).toString('hex')}`, ...overrides },
  });
  if (response.status !== 201) {
    throw new Error(`POST /api/v1/admin/clients returned ${response.status}: ${JSON.stringify(response.body)}`);
  }
  const body = response.body as { uid: string; client_id: string; client_secret: string; webhook_secret: string };

  return {
    uid: body.uid,
    clientId: body.client_id,
    clientSecret: body.client_secret,
    webhookSecret: body.webhook_secret,
    authorization: basicAuthorization(body.client_id, body.client_secret),
  };
}
