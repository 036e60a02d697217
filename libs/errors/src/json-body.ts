import { json, type NextFunction, type Request, type Response } from 'express';
import { CommonError, CommonErrorCode } from './domain-error';

/** Maximum nesting of objects and arrays in a JSON body, far above what the API's own bodies use. */
export const MAX_JSON_DEPTH = 32;

/** Maximum number of fields reported per body, so a huge body cannot produce a huge response. */
const MAX_REPORTED_FIELDS = 20;

/**
 * Matches a NUL character or a UTF-16 surrogate without its other half. PostgreSQL text
 * columns reject NUL, and a lone surrogate has no UTF-8 encoding.
 */
const UNSTORABLE_CHARACTER = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

const UNSTORABLE_VALUE_MESSAGE = 'must not contain NUL characters (U+0000) or unpaired UTF-16 surrogates';
const UNSTORABLE_KEY_MESSAGE = 'field name must not contain NUL characters (U+0000) or unpaired UTF-16 surrogates';

/** Returns whether `text` contains a NUL character or an unpaired UTF-16 surrogate. */
export function hasUnstorableCharacter(text: string): boolean {
  return UNSTORABLE_CHARACTER.test(text);
}

/**
 * Walks a parsed JSON value without recursion and returns `path → messages` for every string
 * value or key with a NUL character or an unpaired surrogate, or for the first container
 * nested deeper than `maxDepth`. Paths are dotted, with array indexes as segments (`a.0.b`),
 * like the validation pipe's. Returns null when the value is acceptable.
 */
export function findJsonValueProblems(value: unknown, maxDepth = MAX_JSON_DEPTH): Record<string, string[]> | null {
  const problems: Record<string, string[]> = {};
  let count = 0;
  const stack: Array<{ value: unknown; path: string; depth: number }> = [{ value, path: '', depth: 0 }];

  while (stack.length > 0 && count < MAX_REPORTED_FIELDS) {
    const item = stack.pop()!;

    if (typeof item.value === 'string') {
      if (hasUnstorableCharacter(item.value)) {
        problems[item.path || '(body)'] = [UNSTORABLE_VALUE_MESSAGE];
        count += 1;
      }
      continue;
    }
    if (typeof item.value !== 'object' || item.value === null) {
      continue;
    }

    const depth = item.depth + 1;
    if (depth > maxDepth) {
      return { [item.path]: [`is nested deeper than ${maxDepth} levels of objects and arrays`] };
    }
    const entries = Array.isArray(item.value) ? item.value.map((element, index) => [String(index), element] as const) : Object.entries(item.value);
    // Pushed in reverse so fields are reported in body order.
    for (let index = entries.length - 1; index >= 0; index -= 1) {
      const [key, child] = entries[index];
      const path = item.path ? `${item.path}.${escapeUnstorable(key)}` : escapeUnstorable(key);
      if (hasUnstorableCharacter(key)) {
        problems[path] = [UNSTORABLE_KEY_MESSAGE];
        count += 1;
      }
      stack.push({ value: child, path, depth });
    }
  }

  return count > 0 ? problems : null;
}

/**
 * Express middleware for right after the JSON body parser. Rejects with 400 `validation_failed`,
 * before any route or validation pipe reads it, a body that is not a JSON object, that nests
 * deeper than MAX_JSON_DEPTH, or that has a string with a NUL or an unpaired surrogate.
 * Requests the JSON parser skipped (uploads, `application/jose`) have no `body` and pass.
 */
export function checkJsonBody(request: Request, _response: Response, next: NextFunction): void {
  const body: unknown = request.body;
  if (body === undefined) {
    next();

    return;
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    next(new CommonError(CommonErrorCode.ValidationFailed, 'The request body must be a JSON object.'));

    return;
  }

  const problems = findJsonValueProblems(body);
  next(problems ? CommonError.validation(problems) : undefined);
}

/** Writes NUL and lone surrogates of a key as `\uXXXX`, so the error path can be shown safely. */
function escapeUnstorable(key: string): string {
  return key.replace(new RegExp(UNSTORABLE_CHARACTER.source, 'g'), (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * Returns express's JSON body parser with its errors turned into problems: a syntax error is
 * 400 `invalid_json` (Nest would otherwise report it as a generic validation failure), a body
 * over `limit` is 413 and an unsupported charset 415.
 */
export function createJsonBodyParser(options: { limit: string; type: string[] }) {
  const parse = json({ ...options, strict: false });

  return (request: Request, response: Response, next: NextFunction): void => {
    parse(request, response, (error?: unknown) => next(error === undefined ? undefined : toBodyProblem(error)));
  };
}

function toBodyProblem(error: unknown): unknown {
  const status = (error as { status?: unknown }).status;
  const message = error instanceof Error ? error.message : String(error);

  if (error instanceof SyntaxError) {
    return new CommonError(CommonErrorCode.InvalidJson, `The request body is not valid JSON: ${message}.`);
  }
  if (status === 413) {
    return new CommonError(CommonErrorCode.PayloadTooLarge, 'The JSON request body is larger than 1 MB.');
  }
  if (status === 415) {
    return new CommonError(CommonErrorCode.UnsupportedMediaType, `${message}; send JSON bodies as UTF-8.`);
  }

  return error;
}
