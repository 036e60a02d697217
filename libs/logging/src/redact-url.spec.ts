import { redactUrl } from './redact-url';

describe('redactUrl', () => {
  it.each([
    ['/api/v1/downloads/eyJ0Ijoi.c2lnbmF0dXJl', '/api/v1/downloads/[redacted]'],
    ['/api/v1/downloads/eyJ0Ijoi.c2lnbmF0dXJl?x=1', '/api/v1/downloads/[redacted]'],
    ['/api/v1/downloads/eyJ0Ijoi.c2lnbmF0dXJl/extra', '/api/v1/downloads/[redacted]/extra'],
    ['http://localhost:3000/api/v1/downloads/eyJ0Ijoi.c2lnbmF0dXJl', 'http://localhost:3000/api/v1/downloads/[redacted]'],
    ['/api/v1/transactions/trx_1?status=sent', '/api/v1/transactions/trx_1'],
    ['/health', '/health'],
  ])('logs %s as %s', (url, expected) => {
    expect(redactUrl(url)).toBe(expected);
  });

  it('keeps an absent URL absent', () => {
    expect(redactUrl(undefined)).toBeUndefined();
  });
});
