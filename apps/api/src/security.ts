import type { INestApplication } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import type { AppConfig } from '@secusign/config';

/**
 * Content-Security-Policy of API responses: JSON, PDFs and problem documents load nothing.
 * The signing page replaces it with its own policy. Swagger UI under `/docs` gets none, so its
 * pages load as `@nestjs/swagger` serves them.
 */
const API_CONTENT_SECURITY_POLICY = {
  useDefaults: false,
  directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"], baseUri: ["'none'"], formAction: ["'none'"] },
};

/** Sets helmet's headers on every response and enables CORS only for the configured origins. */
export function applySecurityHeaders(app: INestApplication, config: AppConfig): void {
  const api = helmet({ contentSecurityPolicy: API_CONTENT_SECURITY_POLICY });
  const docs = helmet({ contentSecurityPolicy: false });
  app.use((request: Request, response: Response, next: NextFunction) => (request.path === '/docs' || request.path.startsWith('/docs/') ? docs : api)(request, response, next));

  if (config.corsOrigins.length > 0) {
    app.enableCors({
      origin: config.corsOrigins,
      methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
      allowedHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'X-Request-Id'],
      exposedHeaders: ['Retry-After', 'X-Request-Id', 'Location', 'Content-Disposition'],
      maxAge: 600,
    });
  }
}
