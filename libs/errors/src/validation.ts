import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { CommonError, CommonErrorCode } from './domain-error';

/** Flattens class-validator errors into `field → messages`, with dotted paths for nested fields. */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): Record<string, string[]> {
  const fields: Record<string, string[]> = {};

  for (const error of errors) {
    const path = parent ? `${parent}.${error.property}` : error.property;
    if (error.constraints) {
      fields[path] = Object.values(error.constraints);
    }
    if (error.children?.length) {
      Object.assign(fields, flattenValidationErrors(error.children, path));
    }
  }

  return fields;
}

/**
 * ValidationPipe whose problem `detail` names the part of the request that failed: the body,
 * the query string or the path. The exception factory cannot see which part it validates,
 * so the message is set here, where the argument metadata is known.
 */
export class ProblemValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    try {
      return await super.transform(value, metadata);
    } catch (error) {
      if (error instanceof CommonError && error.code === CommonErrorCode.ValidationFailed && metadata.type !== 'body') {
        throw CommonError.validation(error.errors ?? {}, validationMessageFor(metadata));
      }
      throw error;
    }
  }
}

/** Returns the problem `detail` for invalid input in the request part that `metadata` describes. */
export function validationMessageFor(metadata: ArgumentMetadata): string {
  switch (metadata.type) {
    case 'body':
      return 'The request body is invalid.';
    case 'query':
      return 'The query parameters are invalid.';
    case 'param':
      return 'The path parameters are invalid.';
    default:
      return 'The request is invalid.';
  }
}

/** The global pipe: strips nothing silently, rejects unknown fields, reports every field at once. */
export function createValidationPipe(): ValidationPipe {
  return new ProblemValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => CommonError.validation(flattenValidationErrors(errors)),
  });
}
