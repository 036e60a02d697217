import type { OpenAPIObject } from '@nestjs/swagger';
import { IDEMPOTENCY_KEY_HEADER, IDEMPOTENT_REPLAYED_HEADER } from './idempotency.interceptor';

type OperationObject = NonNullable<OpenAPIObject['paths'][string]['post']>;

const PROBLEM_CONTENT = { 'application/problem+json': { schema: { $ref: '#/components/schemas/ProblemDetails' } } };

const IDEMPOTENCY_RESPONSES: Record<string, string> = {
  '400': `Invalid \`${IDEMPOTENCY_KEY_HEADER}\` (\`urn:secusign:problem:invalid_idempotency_key\`)`,
  '409': `A request with this \`${IDEMPOTENCY_KEY_HEADER}\` is still in progress (\`urn:secusign:problem:idempotency_key_in_progress\`)`,
  '422': `This \`${IDEMPOTENCY_KEY_HEADER}\` was used for another request body (\`urn:secusign:problem:idempotency_key_reused\`)`,
};

/**
 * Documents the `Idempotency-Key` header on every POST operation of the OpenAPI document, with
 * the `Idempotent-Replayed` response header and the 400, 409 and 422 problems it can cause.
 * Responses a route already documents keep their schema and get the cause appended.
 */
export function documentIdempotencyKey(document: OpenAPIObject): OpenAPIObject {
  for (const pathItem of Object.values(document.paths)) {
    const operation = pathItem.post as OperationObject | undefined;
    if (!operation) {
      continue;
    }
    operation.parameters = [
      ...(operation.parameters ?? []),
      {
        name: IDEMPOTENCY_KEY_HEADER,
        in: 'header',
        required: false,
        description:
          'Makes the request safe to retry: a retry with the same key and body within 24 hours returns the first response ' +
          `(with \`${IDEMPOTENT_REPLAYED_HEADER}: true\`) and creates nothing. Server errors (5xx) are not stored.`,
        schema: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[\\x20-\\x7E]+$', example: '9f1c2e7a-4b7d-4f0e-8f4e-2d6b1f0c3a55' },
      },
    ];

    for (const [status, response] of Object.entries(operation.responses ?? {})) {
      if (status.startsWith('2') && response && !('$ref' in response)) {
        response.headers = {
          ...(response.headers ?? {}),
          [IDEMPOTENT_REPLAYED_HEADER]: { description: 'Present on a replayed response', schema: { type: 'string', enum: ['true'] } },
        };
      }
    }
    for (const [status, description] of Object.entries(IDEMPOTENCY_RESPONSES)) {
      const existing = operation.responses?.[status];
      if (existing && !('$ref' in existing)) {
        existing.description = `${existing.description}; or: ${description}`;
      } else if (!existing) {
        operation.responses = { ...(operation.responses ?? {}), [status]: { description, content: PROBLEM_CONTENT } };
      }
    }
  }

  return document;
}
