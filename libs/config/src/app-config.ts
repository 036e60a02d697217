import { plainToInstance, Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUrl, Matches, Max, Min, MinLength, validateSync } from 'class-validator';

/** Secrets that production refuses to run with. */
const DEVELOPMENT_ADMIN_PASSWORD = 'admin';
export const DEVELOPMENT_MASTER_KEY = 'development-master-key-change-me-in-production';

const toBoolean = ({ value }: { value: unknown }) => (typeof value === 'string' ? ['1', 'true', 'yes'].includes(value.toLowerCase()) : value);
const toInt = ({ value }: { value: unknown }) => (typeof value === 'string' && value.trim() !== '' ? Number(value) : value);

/** Environment variables as read, validated at boot. */
class EnvironmentVariables {
  @IsIn(['development', 'test', 'production'])
  NODE_ENV: string = 'development';

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT: number = 3000;

  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true })
  PUBLIC_URL?: string;

  @IsString()
  @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_URL must be a postgresql:// URL' })
  DATABASE_URL: string = 'postgresql://postgres@127.0.0.1:5432/secusign';

  @IsString()
  @Matches(/^rediss?:\/\//, { message: 'REDIS_URL must be a redis:// or rediss:// URL' })
  REDIS_URL: string = 'redis://127.0.0.1:6379';

  @IsString()
  @MinLength(1)
  QUEUE_PREFIX: string = 'secusign';

  @IsString()
  @MinLength(1)
  ADMIN_USERNAME: string = 'admin';

  @IsString()
  @MinLength(1)
  ADMIN_PASSWORD: string = DEVELOPMENT_ADMIN_PASSWORD;

  @IsString()
  @MinLength(32, { message: 'MASTER_KEY must be at least 32 characters' })
  MASTER_KEY: string = DEVELOPMENT_MASTER_KEY;

  @IsString()
  STORAGE_DIR: string = './var/storage';

  @IsOptional()
  @IsIn(['outbox', 'smtp'])
  EMAIL_PROVIDER?: string;

  @IsOptional()
  @IsIn(['outbox', 'twilio'])
  SMS_PROVIDER?: string;

  /** SMTP server of the `smtp` email provider, e.g. `smtps://user:pass@mail.example:465`. */
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['smtp', 'smtps'], require_protocol: true }, { message: 'SMTP_URL must be an smtp:// or smtps:// URL' })
  SMTP_URL?: string;

  /** Sender address of emails; the display name is the client's. */
  @IsString()
  @Matches(/^[^\s@<>]+@[^\s@<>]+$/, { message: 'EMAIL_FROM must be a bare email address such as no-reply@secusign.example' })
  EMAIL_FROM: string = 'no-reply@secusign.localhost';

  @IsOptional()
  @Matches(/^AC[0-9a-fA-F]{32}$/, { message: 'TWILIO_ACCOUNT_SID must be AC followed by 32 hex digits' })
  TWILIO_ACCOUNT_SID?: string;

  @IsOptional()
  @IsString()
  @MinLength(1)
  TWILIO_AUTH_TOKEN?: string;

  /** Sender of SMS when the client has no `sms_sender`: an E.164 number or an alphanumeric sender ID. */
  @IsOptional()
  @Matches(/^(\+\d{4,15}|[A-Za-z0-9 ]{1,11})$/, { message: 'TWILIO_FROM must be an E.164 number with + or an alphanumeric sender ID of at most 11 characters' })
  TWILIO_FROM?: string;

  /** Base URL of the Twilio REST API; tests point it at a loopback server. */
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true })
  TWILIO_API_URL: string = 'https://api.twilio.com';

  /** Test hook: the signature job sleeps this long between writing the signed file and committing. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  SIGNATURE_TEST_PAUSE_MS: number = 0;

  @Transform(toBoolean)
  @IsBoolean()
  WEBHOOK_ALLOW_PRIVATE: boolean = false;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1024)
  MAX_UPLOAD_MB: number = 50;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL: string = 'info';
}

export class ConfigValidationError extends Error {}

/** Typed application configuration, built once at boot from the environment. */
export class AppConfig {
  readonly env!: 'development' | 'test' | 'production';
  readonly port!: number;
  readonly publicUrl!: string;
  readonly databaseUrl!: string;
  readonly redisUrl!: string;
  readonly queuePrefix!: string;
  readonly admin!: { username: string; password: string };
  /** Key material that encrypts secrets at rest (webhook secrets, private keys). */
  readonly masterKey!: string;
  readonly storageDir!: string;
  readonly emailProvider!: 'outbox' | 'smtp';
  readonly smsProvider!: 'outbox' | 'twilio';
  /** Settings of the `smtp` email provider; `url` is null unless configured. */
  readonly smtp!: { url: string | null; from: string };
  /** Settings of the `twilio` SMS provider; the credentials are null unless configured. */
  readonly twilio!: { accountSid: string | null; authToken: string | null; from: string | null; apiUrl: string };
  /** Test hook only (refused in production): pause of the signature job before its commit, in milliseconds. */
  readonly signatureTestPauseMs!: number;
  readonly webhookAllowPrivate!: boolean;
  readonly maxUploadBytes!: number;
  readonly logLevel!: string;

  get isProduction(): boolean {
    return this.env === 'production';
  }

  /**
   * Validates `environment` and returns the typed configuration.
   * Throws ConfigValidationError listing every invalid variable, and in production
   * every secret still at its development default.
   */
  static fromEnvironment(environment: NodeJS.ProcessEnv = process.env): AppConfig {
    const defined = Object.fromEntries(Object.entries(environment).filter(([, value]) => value !== undefined && value !== ''));
    const variables = plainToInstance(EnvironmentVariables, defined);
    const problems = validateSync(variables, { whitelist: false }).flatMap((error) => Object.values(error.constraints ?? {}));
    const production = variables.NODE_ENV === 'production';

    if (production) {
      if (!environment.ADMIN_PASSWORD || variables.ADMIN_PASSWORD === DEVELOPMENT_ADMIN_PASSWORD) {
        problems.push('ADMIN_PASSWORD must be set to a non-default value in production');
      }
      if (!environment.MASTER_KEY || variables.MASTER_KEY === DEVELOPMENT_MASTER_KEY) {
        problems.push('MASTER_KEY must be set to a non-default value in production');
      }
      if (!environment.PUBLIC_URL) {
        problems.push('PUBLIC_URL must be set in production');
      }
      if (!environment.EMAIL_PROVIDER || variables.EMAIL_PROVIDER === 'outbox') {
        problems.push('EMAIL_PROVIDER must name a real provider in production (outbox keeps messages instead of sending them)');
      }
      if (!environment.SMS_PROVIDER || variables.SMS_PROVIDER === 'outbox') {
        problems.push('SMS_PROVIDER must name a real provider in production (outbox keeps messages instead of sending them)');
      }
    }
    if ((variables.EMAIL_PROVIDER ?? 'outbox') === 'smtp' && !variables.SMTP_URL) {
      problems.push('SMTP_URL must be set when EMAIL_PROVIDER is smtp');
    }
    if (variables.SMS_PROVIDER === 'twilio') {
      for (const name of ['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN', 'TWILIO_FROM'] as const) {
        if (!variables[name]) {
          problems.push(`${name} must be set when SMS_PROVIDER is twilio`);
        }
      }
    }
    if (production && variables.SIGNATURE_TEST_PAUSE_MS > 0) {
      problems.push('SIGNATURE_TEST_PAUSE_MS is a test hook and must be 0 in production');
    }
    if (problems.length > 0) {
      throw new ConfigValidationError(`Invalid configuration:\n- ${problems.join('\n- ')}`);
    }

    const config = Object.create(AppConfig.prototype) as AppConfig;
    Object.assign(config, {
      env: variables.NODE_ENV,
      port: variables.PORT,
      publicUrl: (variables.PUBLIC_URL ?? `http://localhost:${variables.PORT}`).replace(/\/+$/, ''),
      databaseUrl: variables.DATABASE_URL,
      redisUrl: variables.REDIS_URL,
      queuePrefix: variables.QUEUE_PREFIX,
      admin: { username: variables.ADMIN_USERNAME, password: variables.ADMIN_PASSWORD },
      masterKey: variables.MASTER_KEY,
      storageDir: variables.STORAGE_DIR,
      emailProvider: variables.EMAIL_PROVIDER ?? 'outbox',
      smsProvider: variables.SMS_PROVIDER ?? 'outbox',
      smtp: { url: variables.SMTP_URL ?? null, from: variables.EMAIL_FROM },
      twilio: {
        accountSid: variables.TWILIO_ACCOUNT_SID ?? null,
        authToken: variables.TWILIO_AUTH_TOKEN ?? null,
        from: variables.TWILIO_FROM ?? null,
        apiUrl: variables.TWILIO_API_URL.replace(/\/+$/, ''),
      },
      signatureTestPauseMs: variables.SIGNATURE_TEST_PAUSE_MS,
      webhookAllowPrivate: variables.WEBHOOK_ALLOW_PRIVATE,
      maxUploadBytes: variables.MAX_UPLOAD_MB * 1024 * 1024,
      logLevel: variables.LOG_LEVEL,
    });

    return Object.freeze(config);
  }
}
