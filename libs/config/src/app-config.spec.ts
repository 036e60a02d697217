import { AppConfig, ConfigValidationError, DEVELOPMENT_MASTER_KEY } from './app-config';

/** A production environment with every required variable set, to remove one at a time. */
const PRODUCTION: NodeJS.ProcessEnv = {
  NODE_ENV: 'production',
  PUBLIC_URL: 'https://sign.example.com',
  ADMIN_PASSWORD: 'a-long-admin-password',
  MASTER_KEY: 'k'.repeat(48),
  EMAIL_PROVIDER: 'smtp',
  SMTP_URL: 'smtp://mailer.example.com:587',
  SMS_PROVIDER: 'twilio',
  TWILIO_ACCOUNT_SID: `AC${'0'.repeat(32)}`,
  TWILIO_AUTH_TOKEN: 'token',
  TWILIO_FROM: '+33600000000',
  PKI_ROOT_CERT_FILE: '/etc/secusign/root.pem',
  PKI_ISSUING_CERT_FILE: '/etc/secusign/issuing.pem',
  PKI_ISSUING_KEY_FILE: '/etc/secusign/issuing.key',
  PKI_SEAL_CERT_FILE: '/etc/secusign/seal.pem',
  PKI_SEAL_KEY_FILE: '/etc/secusign/seal.key',
};

function configError(environment: NodeJS.ProcessEnv): string {
  try {
    AppConfig.fromEnvironment(environment);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigValidationError);

    return (error as Error).message;
  }
  throw new Error('configuration was accepted');
}

describe(AppConfig.name, () => {
  it('applies the documented defaults', () => {
    const config = AppConfig.fromEnvironment({});

    expect(config.port).toBe(3000);
    expect(config.publicUrl).toBe('http://localhost:3000');
    expect(config.databaseUrl).toBe('postgresql://postgres@127.0.0.1:5432/secusign');
    expect(config.redisUrl).toBe('redis://127.0.0.1:6379');
    expect(config.admin).toEqual({ username: 'admin', password: 'admin' });
    expect(config.storageDir).toBe('./var/storage');
    expect(config.smsProvider).toBe('outbox');
    expect(config.emailProvider).toBe('outbox');
    expect(config.webhookAllowPrivate).toBe(false);
    expect(config.maxUploadBytes).toBe(50 * 1024 * 1024);
  });

  it('derives PUBLIC_URL from PORT', () => {
    expect(AppConfig.fromEnvironment({ PORT: '8080' }).publicUrl).toBe('http://localhost:8080');
  });

  it('accepts a complete production environment', () => {
    const config = AppConfig.fromEnvironment(PRODUCTION);

    expect(config.isProduction).toBe(true);
    expect(config.pki.files?.sealPrivateKey).toBe('/etc/secusign/seal.key');
  });

  it.each([
    ['ADMIN_PASSWORD', undefined, 'ADMIN_PASSWORD must be set'],
    ['ADMIN_PASSWORD', 'admin', 'ADMIN_PASSWORD must be set'],
    ['MASTER_KEY', undefined, 'MASTER_KEY must be set'],
    ['MASTER_KEY', DEVELOPMENT_MASTER_KEY, 'MASTER_KEY must be set'],
    ['PUBLIC_URL', undefined, 'PUBLIC_URL must be set'],
    ['SMS_PROVIDER', 'outbox', 'SMS_PROVIDER must name a real provider'],
    ['EMAIL_PROVIDER', 'outbox', 'EMAIL_PROVIDER must name a real provider'],
    ['PKI_SEAL_KEY_FILE', undefined, 'PKI_SEAL_KEY_FILE must be set in production'],
  ])('rejects production with %s=%s', (name, value, expected) => {
    expect(configError({ ...PRODUCTION, [name]: value })).toContain(expected);
  });

  it('lists every invalid variable at once', () => {
    const message = configError({ PORT: 'eighty', MAX_UPLOAD_MB: '0', DATABASE_URL: 'mysql://x' });

    expect(message).toContain('PORT');
    expect(message).toContain('MAX_UPLOAD_MB');
    expect(message).toContain('DATABASE_URL must be a postgresql:// URL');
  });
});
