import { ValidationError, ValidationPipe } from '@nestjs/common';
import { CommonError } from './domain-error';

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

/** The global pipe: strips nothing silently, rejects unknown fields, reports every field at once. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => CommonError.validation(flattenValidationErrors(errors)),
  });
}
