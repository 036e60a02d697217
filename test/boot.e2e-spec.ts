import { adminAuthorization } from './support/clients';
import { startTestApp, TestApp } from './support/test-app';

describe('application boot', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await startTestApp();
  });

  afterAll(async () => {
    await testApp.close();
  });

  it('serves the OpenAPI document', async () => {
    const response = await fetch(`${testApp.baseUrl}/docs-json`);
    expect(response.status).toBe(200);
    const document = (await response.json()) as { components: { securitySchemes: Record<string, unknown> } };
    expect(Object.keys(document.components.securitySchemes).sort()).toEqual(['admin', 'client']);
  });

  it('answers unknown routes with a problem document', async () => {
    const response = await fetch(`${testApp.baseUrl}/api/v1/nothing-here`);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    const body = (await response.json()) as { type: string; status: number };
    expect(body.type).toBe('urn:secusign:problem:route_not_found');
    expect(body.status).toBe(404);
  });

  it('rejects malformed JSON as invalid_json', async () => {
    const response = await fetch(`${testApp.baseUrl}/api/v1/admin/clients`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: adminAuthorization() },
      body: '{"name":',
    });
    const body = (await response.json()) as { type: string; detail: string };

    expect(response.status).toBe(400);
    expect(body.type).toBe('urn:secusign:problem:invalid_json');
    expect(body.detail).toMatch(/^The request body is not valid JSON: /);
  });

  it('rejects a JSON body over 1 MB with a 413 problem', async () => {
    const response = await fetch(`${testApp.baseUrl}/api/v1/admin/clients`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: adminAuthorization() },
      body: JSON.stringify({ name: 'x'.repeat(1_100_000) }),
    });
    const body = (await response.json()) as { type: string };

    expect(response.status).toBe(413);
    expect(body.type).toBe('urn:secusign:problem:payload_too_large');
  });
});

describe('health endpoint', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await startTestApp();
  });

  afterAll(async () => {
    await testApp.close();
  });

  it('reports database, Redis and storage up', async () => {
    const response = await fetch(`${testApp.baseUrl}/health`);
    const body = (await response.json()) as { status: string; info: Record<string, { status: string }> };
    expect(response.status).toBe(200);
    expect(body.status).toBe('ok');
    expect(Object.keys(body.info).sort()).toEqual(['database', 'queues', 'redis', 'storage']);
  });

  it('reports Redis down with a 503', async () => {
    const broken = await startTestApp({ REDIS_URL: 'redis://127.0.0.1:1' }, { withWorker: false });
    try {
      const response = await fetch(`${broken.baseUrl}/health`);
      const body = (await response.json()) as { error: Record<string, { status: string }> };
      expect(response.status).toBe(503);
      expect(body.error.redis.status).toBe('down');
    } finally {
      await broken.close();
    }
  });
});

describe('metrics endpoint', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await startTestApp();
  });

  afterAll(async () => {
    await testApp.close();
  });

  it('exposes HTTP latency by route pattern', async () => {
    await fetch(`${testApp.baseUrl}/health`);
    const response = await fetch(`${testApp.baseUrl}/metrics`);
    const text = await response.text();
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    expect(text).toMatch(/secusign_http_request_duration_seconds_count\{method="GET",route="\/health",status="200"\} [1-9]/);
  });

  it('declares the domain counters', async () => {
    const text = await (await fetch(`${testApp.baseUrl}/metrics`)).text();
    for (const name of ['secusign_signatures_applied_total', 'secusign_webhook_deliveries_total', 'secusign_otp_codes_sent_total', 'secusign_queue_jobs']) {
      expect(text).toContain(`# TYPE ${name}`);
    }
  });
});
