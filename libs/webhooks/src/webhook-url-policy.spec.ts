import { AppConfig } from '@secusign/config';
import { WebhookErrorCode, WebhookUrlError } from './webhook.errors';
import { ResolvedAddress, WebhookResolver } from './webhook-resolver';
import { WebhookUrlPolicy } from './webhook-url-policy';

/** Resolver answering from a fixed table; real DNS is never queried. */
class TableResolver extends WebhookResolver {
  constructor(private readonly table: Record<string, string[]>) {
    super();
  }

  override async resolve(hostname: string): Promise<ResolvedAddress[]> {
    const addresses = this.table[hostname];
    if (!addresses) {
      throw Object.assign(new Error(`no such host ${hostname}`), { code: 'ENOTFOUND' });
    }

    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  }
}

function policy(allowPrivate = false): WebhookUrlPolicy {
  const config = AppConfig.fromEnvironment({ NODE_ENV: 'test', WEBHOOK_ALLOW_PRIVATE: String(allowPrivate) });
  const resolver = new TableResolver({
    'hooks.example.com': ['93.184.215.14'],
    'v6.example.com': ['2606:2800:21f:cb07:6820:80da:af6b:8b2c'],
    'rebind.example.com': ['10.0.0.1'],
    'metadata.example.com': ['169.254.169.254'],
    'mixed.example.com': ['93.184.215.14', '127.0.0.1'],
  });

  return new WebhookUrlPolicy(config, resolver);
}

async function rejection(check: Promise<unknown>): Promise<WebhookUrlError> {
  const error = await check.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(WebhookUrlError);

  return error as WebhookUrlError;
}

describe(WebhookUrlPolicy.name, () => {
  describe('assertReachable', () => {
    it('rejects a host that does not resolve', async () => {
      const error = await rejection(policy().assertReachable('https://unknown.example.com/hook'));

      expect(error.code).toBe(WebhookErrorCode.UrlUnresolvable);
      expect(error.status).toBe(422);
      expect(error.message).toContain('ENOTFOUND');
    });

    it('rejects a host resolving to a private address', async () => {
      const error = await rejection(policy().assertReachable('https://rebind.example.com/hook'));

      expect(error.code).toBe(WebhookErrorCode.UrlNotAllowed);
    });
  });

  describe('assertAllowed', () => {
    it.each([
      ['http://127.0.0.1:8080/hook', 'loopback'],
      ['http://10.0.0.1/hook', 'private'],
      ['http://172.20.1.1/hook', 'private'],
      ['http://192.168.1.10/hook', 'private'],
      ['http://100.64.0.1/hook', 'shared (CGNAT)'],
      ['http://169.254.169.254/latest/meta-data/', 'link-local or cloud metadata'],
      ['http://[::1]:3000/hook', 'loopback'],
      ['http://[fd00:ec2::254]/', 'unique-local or cloud metadata'],
      ['http://[fe80::1]/', 'link-local'],
      ['http://[::ffff:127.0.0.1]/', 'loopback'],
      ['http://[::ffff:a9fe:a9fe]/', 'link-local or cloud metadata'],
      ['http://0.0.0.0/', 'unspecified'],
      ['http://[::]/', 'unspecified'],
      ['http://[2002:7f00:1::1]/', 'loopback'],
      ['http://[2002:a9fe:a9fe::]/', 'link-local or cloud metadata'],
      ['http://[2002:c0a8:0101:0:0:0:0:1]/', 'private'],
      // Teredo client 127.0.0.1 (stored inverted as 80ff:fffe) behind a public server.
      ['http://[2001:0:5db8:d70e:0:0:80ff:fffe]/', 'loopback'],
      // Teredo server 10.0.0.1 with a public client.
      ['http://[2001:0:a00:1:0:0:a247:eaf1]/', 'private'],
      ['http://[64:ff9b::7f00:1]/', 'loopback'],
      ['http://[64:ff9b:1::a00:1]/', 'local-use NAT64'],
      ['http://224.0.0.1/', 'multicast'],
      ['http://2130706433/', 'loopback'],
      ['http://0x7f.1/', 'loopback'],
    ])('rejects %s as %s', async (url, reason) => {
      const error = await rejection(policy().assertAllowed(url));

      expect(error.code).toBe(WebhookErrorCode.UrlNotAllowed);
      expect(error.status).toBe(422);
      expect(error.message).toContain(`${reason} address`);
    });

    it('uses the right article for the reason', async () => {
      expect((await rejection(policy().assertAllowed('http://0.0.0.0/'))).message).toContain('is an unspecified address');
      expect((await rejection(policy().assertAllowed('http://[fd00::1]/'))).message).toContain('is a unique-local or cloud metadata address');
      expect((await rejection(policy().assertAllowed('http://127.0.0.1/'))).message).toContain('is a loopback address');
    });

    it.each([
      ['http://rebind.example.com/hook', '10.0.0.1'],
      ['https://metadata.example.com/', '169.254.169.254'],
      ['https://mixed.example.com/', '127.0.0.1'],
    ])('rejects host %s resolving to %s', async (url, address) => {
      const error = await rejection(policy().assertAllowed(url));

      expect(error.code).toBe(WebhookErrorCode.UrlNotAllowed);
      expect(error.message).toContain(`resolves to ${address}`);
      expect(error.errors).toEqual({ webhook_url: [error.message] });
    });

    it.each(['ftp://hooks.example.com/', 'file:///etc/passwd', 'gopher://hooks.example.com/', 'not a url', '/relative/path'])('rejects malformed or non-http URL %s', async (url) => {
      const error = await rejection(policy().assertAllowed(url));

      expect(error.code).toBe(WebhookErrorCode.UrlInvalid);
      expect(error.status).toBe(400);
    });

    it('accepts a host that does not resolve yet', async () => {
      await expect(policy().assertAllowed('https://unknown.example.com/hook')).resolves.toBeInstanceOf(URL);
    });

    it('accepts reserved example names without a lookup', async () => {
      const resolver = { resolve: jest.fn() };
      const config = AppConfig.fromEnvironment({ NODE_ENV: 'test' });

      await expect(new WebhookUrlPolicy(config, resolver as unknown as WebhookResolver).assertAllowed('https://client.example/hooks')).resolves.toBeInstanceOf(URL);
      expect(resolver.resolve).not.toHaveBeenCalled();
    });

    it.each(['http://localhost:3000/hook', 'http://hooks.localhost/'])('rejects localhost name %s as loopback', async (url) => {
      const error = await rejection(policy().assertAllowed(url));

      expect(error.code).toBe(WebhookErrorCode.UrlNotAllowed);
      expect(error.message).toContain('loopback');
    });

    it.each([
      'https://hooks.example.com/secusign',
      'http://v6.example.com:8443/',
      'https://93.184.215.14/hook',
      'http://[2002:5db8:d70e::1]/',
      'http://[2001:0:5db8:d70e:0:0:a247:eaf1]/',
      'http://[64:ff9b::5db8:d70e]/',
    ])('accepts public URL %s', async (url) => {
      await expect(policy().assertAllowed(url)).resolves.toBeInstanceOf(URL);
    });

    it('accepts private addresses when WEBHOOK_ALLOW_PRIVATE is on', async () => {
      await expect(policy(true).assertAllowed('http://127.0.0.1:9000/hook')).resolves.toBeInstanceOf(URL);
      await expect(policy(true).assertAllowed('http://rebind.example.com/hook')).resolves.toBeInstanceOf(URL);
    });

    it('still rejects non-http schemes when WEBHOOK_ALLOW_PRIVATE is on', async () => {
      const error = await rejection(policy(true).assertAllowed('file:///etc/passwd'));

      expect(error.code).toBe(WebhookErrorCode.UrlInvalid);
    });
  });
});
