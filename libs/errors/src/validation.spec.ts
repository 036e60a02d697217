import { IsInt, Min } from 'class-validator';
import { CommonError } from './domain-error';
import { createValidationPipe, validationMessageFor } from './validation';

class LimitQuery {
  @IsInt()
  @Min(1)
  limit!: number;
}

async function rejection(check: Promise<unknown>): Promise<CommonError> {
  const error = await check.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(CommonError);

  return error as CommonError;
}

describe('createValidationPipe', () => {
  it.each([
    ['body', 'The request body is invalid.'],
    ['query', 'The query parameters are invalid.'],
    ['param', 'The path parameters are invalid.'],
  ] as const)('names the %s in the detail', async (type, message) => {
    const error = await rejection(createValidationPipe().transform({ limit: 0 }, { type, metatype: LimitQuery }));

    expect(error.message).toBe(message);
    expect(error.errors).toEqual({ limit: ['limit must not be less than 1'] });
  });

  it('uses a generic message for custom decorators', () => {
    expect(validationMessageFor({ type: 'custom' })).toBe('The request is invalid.');
  });
});
