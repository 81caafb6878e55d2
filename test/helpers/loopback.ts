import {
  createServer,
  type IncomingHttpHeaders,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A tiny HTTP server on 127.0.0.1 for tests that stand in for a remote
 * service (GitHub, Vault, Doppler). Routes answer the way the real API
 * documents; scripted faults replace the next matching answers with an
 * error, a rate limit or a slow reply. Every request is recorded.
 */
export interface LoopbackRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
  json<T = unknown>(): T;
}

export interface Reply {
  status?: number;
  headers?: Record<string, string>;
  /** JSON-encoded unless it is a string or a Buffer. */
  body?: unknown;
  /** Wait this long before answering: a slow or hanging server. */
  delayMs?: number;
}

export type Handler = (
  request: LoopbackRequest,
  params: Record<string, string>,
) => Reply | Promise<Reply>;

export interface Fault {
  method?: string;
  /** A path pattern like '/v1/{mount}/data/{path+}', or a RegExp. */
  path?: string | RegExp;
  /** How many matching requests get this reply (default 1). */
  times?: number;
  reply: Reply;
}

interface Route {
  method: string;
  match: (path: string) => Record<string, string> | undefined;
  handler: Handler;
}

export interface LoopbackServer {
  /** Base URL, e.g. http://127.0.0.1:40123 (no trailing slash). */
  url: string;
  requests: LoopbackRequest[];
  route(method: string, pattern: string, handler: Handler): void;
  fail(fault: Fault): void;
  /** Runs before routing; a reply ends the request (e.g. 401). */
  guard(check: (request: LoopbackRequest) => Reply | undefined): void;
  /** Headers added to every answer (e.g. rate-limit counters). */
  decorate(add: (request: LoopbackRequest) => Record<string, string>): void;
  close(): Promise<void>;
}

export async function startLoopback(): Promise<LoopbackServer> {
  const routes: Route[] = [];
  const faults: (Fault & { left: number })[] = [];
  const guards: ((request: LoopbackRequest) => Reply | undefined)[] = [];
  const decorators: ((request: LoopbackRequest) => Record<string, string>)[] =
    [];
  const requests: LoopbackRequest[] = [];

  const server = createServer(async (incoming, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    const url = new URL(incoming.url ?? '/', 'http://loopback');
    const body = Buffer.concat(chunks).toString('utf8');
    const request: LoopbackRequest = {
      method: incoming.method ?? 'GET',
      path: decodeURI(url.pathname),
      query: url.searchParams,
      headers: incoming.headers,
      body,
      json: <T>() => (body ? JSON.parse(body) : undefined) as T,
    };
    requests.push(request);

    let reply: Reply;
    try {
      reply = await answer(request);
    } catch (error) {
      reply = { status: 500, body: { error: String(error) } };
    }
    const extra = Object.assign({}, ...decorators.map((add) => add(request)));
    await send(response, reply, extra);
  });

  async function answer(request: LoopbackRequest): Promise<Reply> {
    const fault = faults.find(
      (f) =>
        f.left > 0 &&
        (!f.method || f.method === request.method) &&
        (!f.path || matchPath(f.path, request.path)),
    );
    if (fault) {
      fault.left--;
      return fault.reply;
    }
    for (const check of guards) {
      const refused = check(request);
      if (refused) return refused;
    }
    for (const route of routes) {
      if (route.method !== request.method) continue;
      const params = route.match(request.path);
      if (params) return route.handler(request, params);
    }
    return { status: 404, body: { message: 'Not Found' } };
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    route(method, pattern, handler) {
      routes.push({ method, match: compilePattern(pattern), handler });
    },
    fail(fault) {
      faults.push({ ...fault, left: fault.times ?? 1 });
    },
    guard(check) {
      guards.push(check);
    },
    decorate(add) {
      decorators.push(add);
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

async function send(
  response: ServerResponse,
  reply: Reply,
  extra: Record<string, string>,
): Promise<void> {
  if (reply.delayMs) {
    await new Promise((resolve) => setTimeout(resolve, reply.delayMs));
  }
  // The client may have given up (a timeout test): nothing left to do.
  if (response.destroyed) return;
  // Bytes (an artifact's zip) go out as they are; objects as JSON.
  const text =
    reply.body === undefined
      ? ''
      : typeof reply.body === 'string' || Buffer.isBuffer(reply.body)
        ? reply.body
        : JSON.stringify(reply.body);
  const headers: Record<string, string> = { ...extra, ...reply.headers };
  if (text && !Object.keys(headers).some((h) => /content-type/i.test(h))) {
    headers['content-type'] = 'application/json; charset=utf-8';
  }
  response.writeHead(reply.status ?? 200, headers);
  response.end(text);
}

/**
 * '/repos/{owner}/{repo}' matches one segment per name; '{path+}' matches
 * the rest of the path, slashes included (Vault's nested secret paths).
 */
function compilePattern(pattern: string) {
  const names: string[] = [];
  const source = pattern.replace(
    /\{(\w+)(\+?)\}|[.*?^$()[\]\\|]/g,
    (token, name?: string, rest?: string) => {
      if (!name) return `\\${token}`;
      names.push(name);
      return rest ? '(.+)' : '([^/]+)';
    },
  );
  const regex = new RegExp(`^${source}$`);
  return (path: string) => {
    const match = regex.exec(path);
    if (!match) return undefined;
    return Object.fromEntries(names.map((name, i) => [name, match[i + 1]!]));
  };
}

function matchPath(pattern: string | RegExp, path: string): boolean {
  if (pattern instanceof RegExp) return pattern.test(path);
  return compilePattern(pattern)(path) !== undefined;
}
