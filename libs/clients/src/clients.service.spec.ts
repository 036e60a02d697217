import { encryptSecret } from '@secusign/auth';
import type { AppConfig } from '@secusign/config';
import { Client } from './client.entity';
import { ClientsService, serializeClient, webhookSecretContext } from './clients.service';

const config = { masterKey: 'unit-test-master-key-with-at-least-32-characters' } as AppConfig;
const service = new ClientsService(null as never, config);

function clientWith(current: string, previous: string | null, previousExpiresAt: Date | null): Client {
  const client = new Client();
  client.clientId = 'cli_1';
  client.name = 'Acme';
  client.secretHash = '$scrypt$ln=14,r=8,p=1$c2FsdA$aGFzaA';
  client.webhookSecretEncrypted = encryptSecret(current, config.masterKey, webhookSecretContext(client.uid));
  client.previousWebhookSecretEncrypted = previous === null ? null : encryptSecret(previous, config.masterKey, webhookSecretContext(client.uid));
  client.previousWebhookSecretExpiresAt = previousExpiresAt;

  return client;
}

describe('ClientsService.getWebhookSecrets', () => {
  const now = new Date('2026-01-01T00:00:00Z');

  it('decrypts the current secret', () => {
    expect(service.getWebhookSecrets(clientWith('whsec_current', null, null), now)).toEqual({ current: 'whsec_current', previous: null });
  });

  it('includes the previous secret until it expires', () => {
    const client = clientWith('whsec_current', 'whsec_previous', new Date('2026-01-01T00:00:01Z'));

    expect(service.getWebhookSecrets(client, now)).toEqual({ current: 'whsec_current', previous: 'whsec_previous' });
  });

  it('drops an expired previous secret', () => {
    const client = clientWith('whsec_current', 'whsec_previous', new Date('2025-12-31T23:59:59Z'));

    expect(service.getWebhookSecrets(client, now).previous).toBeNull();
  });

  it('fails on a secret encrypted for another client', () => {
    const client = clientWith('whsec_current', null, null);
    client.webhookSecretEncrypted = encryptSecret('whsec_other', config.masterKey, webhookSecretContext('another-uid'));

    expect(() => service.getWebhookSecrets(client)).toThrow();
  });
});

describe('ClientsService.getBranding', () => {
  it('falls back to the name', () => {
    const client = clientWith('whsec_current', null, null);

    expect(service.getBranding(client)).toEqual({ displayName: 'Acme', primaryColor: null, logoUrl: null, smsSender: null });
  });

  it('returns the branding fields', () => {
    const client = clientWith('whsec_current', null, null);
    Object.assign(client, { displayName: 'Acme Leasing', primaryColor: '#0A5FFF', logoUrl: 'https://acme.example/logo.png', smsSender: 'ACME' });

    expect(service.getBranding(client)).toEqual({ displayName: 'Acme Leasing', primaryColor: '#0A5FFF', logoUrl: 'https://acme.example/logo.png', smsSender: 'ACME' });
  });
});

describe('serializeClient', () => {
  it('leaves out the secrets', () => {
    const serialized = serializeClient(clientWith('whsec_current', 'whsec_previous', null));

    expect(Object.keys(serialized).sort()).toEqual(
      ['client_id', 'created_at', 'disabled_at', 'display_name', 'logo_url', 'name', 'primary_color', 'sms_sender', 'status', 'uid', 'updated_at'].sort(),
    );
    expect(JSON.stringify(serialized)).not.toContain('scrypt');
  });
});
