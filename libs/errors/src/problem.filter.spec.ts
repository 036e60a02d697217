import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { redactDriverError } from './problem.filter';

describe(redactDriverError.name, () => {
  it('drops statement values from driver errors', () => {
    const original = new Error("insert into clients (secret_hash) values ('scrypt$secret') - duplicate key value violates unique constraint");
    const exception = new UniqueConstraintViolationException(Object.assign(original, { code: '23505' }));

    const redacted = redactDriverError(exception) as { message: string; stack: string; code: string };

    expect(redacted.message).toBe('duplicate key value violates unique constraint');
    expect(JSON.stringify(redacted)).not.toContain('scrypt$secret');
    expect(redacted.code).toBe('23505');
  });

  it('keeps other errors as they are', () => {
    const error = new Error('boom');

    expect(redactDriverError(error)).toBe(error);
  });
});
