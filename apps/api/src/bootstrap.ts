import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { AppConfig } from '@secusign/config';
import { checkJsonBody, createJsonBodyParser, createValidationPipe, ProblemDetails } from '@secusign/errors';
import { documentIdempotencyKey } from '@secusign/http';
import { AppModule, AppModuleOptions } from './app.module';
import { applySecurityHeaders } from './security';

export const API_PREFIX = 'api/v1';

/** Creates the HTTP application (and, with `withWorker`, the queue processors) without listening. */
export async function createApp(config: AppConfig, options: AppModuleOptions): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, options), {
    bodyParser: false,
    bufferLogs: true,
  });
  app.useLogger(app.get(Logger));
  app.set('trust proxy', 'loopback, linklocal, uniquelocal');
  app.disable('x-powered-by');
  applySecurityHeaders(app, config);
  // JSON bodies only; PDF uploads and multipart are streamed by their handlers. The parser is
  // not strict, so a `null` or bare-value body reaches checkJsonBody, which rejects it clearly.
  app.use(createJsonBodyParser({ limit: '1mb', type: ['application/json', 'application/*+json'] }));
  app.use(checkJsonBody);
  app.setGlobalPrefix(API_PREFIX, { exclude: ['health', 'metrics', ':signatoryUid/workflow', ':signatoryUid/workflow/*path', 'docs', 'docs-json'] });
  app.useGlobalPipes(createValidationPipe());
  setupSwagger(app);

  return app;
}

function setupSwagger(app: INestApplication): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('SecuSign API')
      .setDescription(
        'Electronic-signature API: create a transaction, upload one PDF, add 1–4 signatories and send it. ' +
          'Errors are RFC 9457 problem documents (`application/problem+json`) with a stable `type` per cause. ' +
          'Every POST accepts an `Idempotency-Key` header.',
      )
      .setVersion('1')
      .addBasicAuth({ type: 'http', scheme: 'basic', description: 'client_id:client_secret issued by an administrator' }, 'client')
      .addBasicAuth({ type: 'http', scheme: 'basic', description: 'ADMIN_USERNAME:ADMIN_PASSWORD from the configuration' }, 'admin')
      .build(),
    { extraModels: [ProblemDetails] },
  );
  SwaggerModule.setup('docs', app, documentIdempotencyKey(document), { jsonDocumentUrl: 'docs-json' });
}
