import { ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { ProblemDetails, problemType, titleOf } from '@secusign/errors';

/**
 * Documents one error status of a route as an `application/problem+json` response, with one
 * named example per problem code: `{ code: detail }`.
 */
export function ApiProblem(status: number, description: string, examples: Record<string, string>): MethodDecorator & ClassDecorator {
  return ApiResponse({
    status,
    description,
    content: {
      'application/problem+json': {
        schema: { $ref: getSchemaPath(ProblemDetails) },
        examples: Object.fromEntries(
          Object.entries(examples).map(([code, detail]) => [code, { value: { type: problemType(code), title: titleOf(code), status, detail } }]),
        ),
      },
    },
  });
}
