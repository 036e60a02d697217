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
  @Min(100)
  @Max(60000)
  WEBHOOK_TIMEOUT_MS: number = 10000;

  /** Delays before each webhook retry: milliseconds, or a number with `s`, `m`, `h` or `d`. */
  @IsString()
  @Matches(/^\s*\d+\s*(ms|s|m|h|d)?\s*(,\s*\d+\s*(ms|s|m|h|d)?\s*)*$/, {
    message: 'WEBHOOK_RETRY_SCHEDULE must be a comma-separated list of delays such as 30s,2m,1h',
  })
  WEBHOOK_RETRY_SCHEDULE: string = '30s,2m,10m,1h,3h,6h,12h,24h,24h';

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(720)
  WEBHOOK_SECRET_OVERLAP_HOURS: number = 24;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(10080)
  DOWNLOAD_LINK_TTL_MINUTES: number = 15;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1024)
  MAX_UPLOAD_MB: number = 50;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL: string = 'info';

  /** Origins allowed to call the API from a browser, comma-separated; CORS stays off when unset. */
  @IsOptional()
  @IsString()
  CORS_ORIGINS?: string;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  WORKFLOW_RATE_LIMIT_PER_IP: number = 600;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  WORKFLOW_RATE_LIMIT_PER_SIGNATORY: number = 300;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(86400)
  WORKFLOW_RATE_WINDOW_SECONDS: number = 60;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  AUTH_FAILURE_LIMIT: number = 20;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(86400)
  AUTH_FAILURE_WINDOW_SECONDS: number = 900;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3600)
  SHUTDOWN_TIMEOUT_SECONDS: number = 30;

  @IsOptional()
  @IsString()
  PKI_ROOT_CERT_FILE?: string;

  @IsOptional()
  @IsString()
  PKI_ISSUING_CERT_FILE?: string;

  @IsOptional()
  @IsString()
  PKI_ISSUING_KEY_FILE?: string;

  @IsOptional()
  @IsString()
  PKI_SEAL_CERT_FILE?: string;

  @IsOptional()
  @IsString()
  PKI_SEAL_KEY_FILE?: string;

  @IsOptional()
  @IsString()
  PKI_KEY_PASSPHRASE?: string;

  @IsString()
  @MinLength(1)
  PKI_ORGANIZATION: string = 'SecuSign';

  @IsString()
  @MinLength(1)
  QPDF_PATH: string = 'qpdf';
}

/** Variables naming the production PKI files, all required in production. */
const PKI_FILE_VARIABLES = ['PKI_ROOT_CERT_FILE', 'PKI_ISSUING_CERT_FILE', 'PKI_ISSUING_KEY_FILE', 'PKI_SEAL_CERT_FILE', 'PKI_SEAL_KEY_FILE'] as const;

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
  /** How long one webhook request may take before it counts as failed. */
  readonly webhookTimeoutMs!: number;
  /** Delay in milliseconds before each retry of a failed webhook; its length is the number of retries. */
  readonly webhookRetryScheduleMs!: number[];
  /** How long a rotated-out webhook secret keeps signing beside the new one. */
  readonly webhookSecretOverlapMs!: number;
  /** Lifetime of the download links of a completed transaction. */
  readonly downloadLinkTtlMs!: number;
  readonly maxUploadBytes!: number;
  readonly logLevel!: string;
  /** Browser origins allowed by CORS; empty means CORS is off. */
  readonly corsOrigins!: string[];
  /** Requests to `/api/v1/workflow/*` allowed per window, per client IP and per signatory. */
  readonly workflowRateLimit!: { perIp: number; perSignatory: number; windowMs: number };
  /**
   * Failed Basic authentications allowed per window, counted per client IP, per client IP and
   * client_id, and per admin username. Past the limit, requests get 429 until the window ends.
   */
  readonly authFailureLimit!: { limit: number; windowMs: number };
  /** How long a SIGTERM may take to drain HTTP requests and finish active jobs before the process exits anyway. */
  readonly shutdownTimeoutMs!: number;
  /** Production PEM files of the platform PKI (null outside production unless set) and the organization named in certificates. */
  readonly pki!: {
    files: {
      rootCertificate: string;
      issuingCertificate: string;
      issuingPrivateKey: string;
      sealCertificate: string;
      sealPrivateKey: string;
      privateKeyPassphrase?: string;
    } | null;
    organizationName: string;
  };
  /** qpdf executable that repairs damaged uploads and removes empty-password encryption. */
  readonly qpdfPath!: string;

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
    if (production) {
      for (const name of PKI_FILE_VARIABLES) {
        if (!variables[name]) {
          problems.push(`${name} must be set in production: the platform PKI is loaded from files there, never generated`);
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
      webhookTimeoutMs: variables.WEBHOOK_TIMEOUT_MS,
      webhookRetryScheduleMs: parseDurationList(variables.WEBHOOK_RETRY_SCHEDULE),
      webhookSecretOverlapMs: variables.WEBHOOK_SECRET_OVERLAP_HOURS * 3_600_000,
      downloadLinkTtlMs: variables.DOWNLOAD_LINK_TTL_MINUTES * 60_000,
      maxUploadBytes: variables.MAX_UPLOAD_MB * 1024 * 1024,
      logLevel: variables.LOG_LEVEL,
      corsOrigins: (variables.CORS_ORIGINS ?? '')
        .split(',')
        .map((origin) => origin.trim().replace(/\/+$/, ''))
        .filter((origin) => origin !== ''),
      workflowRateLimit: {
        perIp: variables.WORKFLOW_RATE_LIMIT_PER_IP,
        perSignatory: variables.WORKFLOW_RATE_LIMIT_PER_SIGNATORY,
        windowMs: variables.WORKFLOW_RATE_WINDOW_SECONDS * 1000,
      },
      authFailureLimit: { limit: variables.AUTH_FAILURE_LIMIT, windowMs: variables.AUTH_FAILURE_WINDOW_SECONDS * 1000 },
      shutdownTimeoutMs: variables.SHUTDOWN_TIMEOUT_SECONDS * 1000,
      pki: {
        files: variables.PKI_ROOT_CERT_FILE
          ? {
              rootCertificate: variables.PKI_ROOT_CERT_FILE,
              issuingCertificate: variables.PKI_ISSUING_CERT_FILE ?? '',
              issuingPrivateKey: variables.PKI_ISSUING_KEY_FILE ?? '',
              sealCertificate: variables.PKI_SEAL_CERT_FILE ?? '',
              sealPrivateKey: variables.PKI_SEAL_KEY_FILE ?? '',
              privateKeyPassphrase: variables.PKI_KEY_PASSPHRASE,
            }
          : null,
        organizationName: variables.PKI_ORGANIZATION,
      },
      qpdfPath: variables.QPDF_PATH,
    });

    return Object.freeze(config);
  }
}

const DURATION_UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Parses `30s,2m,1h` (a bare number is milliseconds) into milliseconds. */
export function parseDurationList(value: string): number[] {
  return value.split(',').map((item) => {
    const [, amount, unit] = /^\s*(\d+)\s*(ms|s|m|h|d)?\s*$/.exec(item) ?? [];

    return Number(amount) * DURATION_UNIT_MS[unit ?? 'ms'];
  });
}
