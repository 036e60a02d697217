/** Response of `request`: the body is parsed JSON for JSON types, text for text types, a Buffer otherwise. */
export interface TestResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

export interface RequestOptions {
  /** Value of the Authorization header, such as the `authorization` of a test client. */
  authorization?: string;
  /** Sent as an `application/json` body. */
  json?: unknown;
  headers?: Record<string, string>;
  /** Raw body (a PDF, a multipart form); set `content-type` in `headers` unless fetch infers it. */
  body?: BodyInit;
}

/** Sends one HTTP request to the app under test with global fetch. */
export async function request<T = any>(baseUrl: string, method: string, path: string, options: RequestOptions = {}): Promise<TestResponse<T>> {
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  let body: BodyInit | undefined = options.body;

  if (options.authorization !== undefined) {
    headers.authorization = options.authorization;
  }
  if (options.json !== undefined) {
    headers['content-type'] ??= 'application/json';
    body = JSON.stringify(options.json);
  }

  const response = await fetch(`${baseUrl}${path}`, { method, headers, body });

  return { status: response.status, headers: response.headers, body: (await parseBody(response)) as T };
}

async function parseBody(response: Response): Promise<unknown> {
  const contentType = response.headers.get('content-type') ?? '';
  const bytes = Buffer.from(await response.arrayBuffer());

  if (bytes.length === 0) {
    return contentType.includes('json') ? null : '';
  }
  if (/[/+]json\b/.test(contentType)) {
    return JSON.parse(bytes.toString('utf8'));
  }
  if (contentType.startsWith('text/') || contentType.includes('xml')) {
    return bytes.toString('utf8');
  }

  return bytes;
}

/** `Basic base64(username:password)`. */
export function basicAuthorization(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
}
