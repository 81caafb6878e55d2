import { RemoteError, type RemoteService } from './remote-error.ts';

/** How a plain-fetch client (Vault, Doppler) talks to its server. */
export interface HttpPolicy {
  /** Per-attempt timeout (default 10 s). */
  timeoutMs?: number;
  /** Retries after 429, 5xx, a timeout or a network error (default 3). */
  retries?: number;
  /**
   * Milliseconds per second of back-off and of Retry-After; 1000 in real
   * use, shrunk by tests.
   */
  secondMs?: number;
  /** Never wait longer than this for one Retry-After (default 30 s). */
  maxRetryAfterSeconds?: number;
}

export interface JsonCall {
  service: RemoteService;
  /** What is being done, for messages: "read secret X". */
  action: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH';
  url: string;
  headers: Record<string, string>;
  body?: unknown;
  /** The service's error text from an error body; never the request. */
  describe: (body: unknown) => string | undefined;
  /** A failure retrying cannot fix even though its status says 5xx. */
  permanent?: (status: number, body: unknown) => boolean;
  hint?: (status: number, body: unknown) => string | undefined;
}

export interface JsonAnswer<T> {
  status: number;
  data: T;
}

/**
 * One JSON request with a timeout per attempt and bounded retries with
 * exponential back-off (Retry-After when the server sends it). Failures
 * become RemoteErrors; a 4xx other than 429 is never retried.
 */
export async function callJson<T>(
  call: JsonCall,
  policy: HttpPolicy = {},
): Promise<JsonAnswer<T>> {
  const retries = policy.retries ?? 3;
  const secondMs = policy.secondMs ?? 1000;
  const maxRetryAfter = policy.maxRetryAfterSeconds ?? 30;

  for (let attempt = 0; ; attempt++) {
    const outcome = await attemptOnce(call, policy.timeoutMs ?? 10_000);
    if (outcome.ok) return { status: outcome.status, data: outcome.body as T };

    const { status, body, retryAfter } = outcome;
    const transient =
      status === undefined ||
      status === 429 ||
      (status >= 500 && !call.permanent?.(status, body));
    const wait = retryAfter ?? 0.5 * 2 ** attempt;
    if (!transient || attempt >= retries || wait > maxRetryAfter) {
      throw new RemoteError({
        service: call.service,
        action: call.action,
        status,
        detail: status === undefined ? outcome.reason : call.describe(body),
        hint: status === undefined ? undefined : call.hint?.(status, body),
        cause: outcome.cause,
      });
    }
    await new Promise((resolve) => setTimeout(resolve, wait * secondMs));
  }
}

type Outcome =
  | { ok: true; status: number; body: unknown }
  | {
      ok: false;
      status: number | undefined;
      body: unknown;
      retryAfter: number | undefined;
      reason?: string;
      cause?: unknown;
    };

async function attemptOnce(
  call: JsonCall,
  timeoutMs: number,
): Promise<Outcome> {
  let response: Response;
  try {
    response = await fetch(call.url, {
      method: call.method,
      headers: {
        accept: 'application/json',
        ...(call.body === undefined
          ? {}
          : { 'content-type': 'application/json' }),
        ...call.headers,
      },
      body: call.body === undefined ? undefined : JSON.stringify(call.body),
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'error',
    });
  } catch (cause) {
    return {
      ok: false,
      status: undefined,
      body: undefined,
      retryAfter: undefined,
      reason: networkReason(cause, timeoutMs),
      cause,
    };
  }

  let body: unknown;
  try {
    const text = await response.text();
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // A proxy's HTML error page, say: the status still tells the story.
    body = undefined;
  }
  if (response.ok) return { ok: true, status: response.status, body };
  return {
    ok: false,
    status: response.status,
    body,
    retryAfter: retryAfterSeconds(response.headers.get('retry-after')),
  };
}

function networkReason(cause: unknown, timeoutMs: number): string {
  const error = cause as Error & { cause?: { code?: string } };
  if (error?.name === 'TimeoutError' || error?.name === 'AbortError') {
    return `no answer within ${timeoutMs} ms`;
  }
  return error?.cause?.code ?? error?.message ?? String(cause);
}

/** Retry-After is seconds or an HTTP date (RFC 9110, 10.2.3). */
function retryAfterSeconds(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const date = Date.parse(header);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, (date - Date.now()) / 1000);
}
