import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, chmodSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

import { makeRepo, testGitEnv, type TestRepo } from './repo.ts';

const root = join(import.meta.dirname, '..', '..');
const cli = join(root, 'bin', 'gitwarden.js');

/** How the hook script finds gitwarden: this Node and the built CLI. */
export const GITWARDEN_COMMAND = `${process.execPath} ${cli}`;

export interface PushResult {
  code: number;
  stderr: string;
  stdout: string;
}

export interface GitServer {
  bare: TestRepo;
  work: TestRepo;
  /** Runs `git push` from the work repo to the bare one. */
  push(
    args: string[],
    options?: { env?: NodeJS.ProcessEnv; url?: string },
  ): PushResult;
  /** The same without blocking, for a server in this process (HTTP). */
  pushAsync(
    args: string[],
    options?: { env?: NodeJS.ProcessEnv; url?: string },
  ): Promise<PushResult>;
  /** The sha a ref has on the server, or '' when it does not exist. */
  serverRef(ref: string): string;
}

/**
 * A bare repository carrying gitwarden's real pre-receive hook, and a
 * work repository whose `origin` it is. `main` is pushed with the policy
 * before the hook is installed, as an administrator would set it up.
 */
export function makeGitServer(
  policy: string,
  files: Record<string, string> = {},
): GitServer {
  const bare = makeRepo({ bare: true });
  bare.git(['config', 'receive.advertisePushOptions', 'true']);
  const work = makeRepo();
  work.write('.gitwarden/policy.yml', policy);
  for (const [path, content] of Object.entries(files))
    work.write(path, content);
  work.commit('policy\n\nAgent: none\nTask: GW-0\n');
  work.git(['remote', 'add', 'origin', bare.dir]);
  work.git(['push', '-q', 'origin', 'main']);
  work.git(['fetch', '-q', 'origin']);
  work.git(['remote', 'set-head', 'origin', 'main']);
  const hook = join(bare.dir, 'hooks', 'pre-receive');
  copyFileSync(join(root, 'hooks', 'pre-receive'), hook);
  chmodSync(hook, 0o755);

  return {
    bare,
    work,
    push(args, options = {}) {
      const target = options.url ?? 'origin';
      const result = spawnSync(
        'git',
        ['push', '--porcelain', target, ...args],
        {
          cwd: work.dir,
          env: { ...testGitEnv, GITWARDEN: GITWARDEN_COMMAND, ...options.env },
          encoding: 'utf8',
          timeout: 60_000,
        },
      );
      if (result.error) throw result.error;
      return {
        code: result.status ?? -1,
        stderr: result.stderr,
        stdout: result.stdout,
      };
    },
    pushAsync(args, options = {}) {
      const target = options.url ?? 'origin';
      const child = spawn('git', ['push', '--porcelain', target, ...args], {
        cwd: work.dir,
        env: { ...testGitEnv, GITWARDEN: GITWARDEN_COMMAND, ...options.env },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
      child.stdin.end();
      return new Promise((resolve, reject) => {
        child.on('error', reject);
        child.on('close', (code) =>
          resolve({ code: code ?? -1, stdout, stderr }),
        );
      });
    },
    serverRef(ref) {
      return spawnSync('git', ['rev-parse', '--verify', '--quiet', ref], {
        cwd: bare.dir,
        env: testGitEnv,
        encoding: 'utf8',
      }).stdout.trim();
    },
  };
}

/**
 * Smart HTTP on loopback: a small Node server running git-http-backend as
 * CGI, with Basic authentication whose user becomes REMOTE_USER, the way
 * a web server in front of git does it. Any password is accepted: the
 * test is about the pusher reaching the hook, not about passwords.
 */
export async function serveHttp(
  projectRoot: string,
  env: NodeJS.ProcessEnv,
): Promise<{ url: string; close: () => Promise<void> }> {
  const backend = spawnSync('git', ['--exec-path'], {
    encoding: 'utf8',
  }).stdout.trim();
  const server: Server = createServer((request, response) => {
    const auth = request.headers.authorization ?? '';
    const user = auth.startsWith('Basic ')
      ? Buffer.from(auth.slice(6), 'base64').toString('utf8').split(':')[0]
      : '';
    if (!user) {
      response.writeHead(401, { 'WWW-Authenticate': 'Basic realm="git"' });
      response.end();
      return;
    }
    const url = new URL(request.url ?? '/', 'http://localhost');
    const child = spawn(join(backend, 'git-http-backend'), [], {
      env: {
        ...env,
        GIT_PROJECT_ROOT: projectRoot,
        GIT_HTTP_EXPORT_ALL: '1',
        REQUEST_METHOD: request.method ?? 'GET',
        PATH_INFO: decodeURIComponent(url.pathname),
        QUERY_STRING: url.search.slice(1),
        CONTENT_TYPE: request.headers['content-type'] ?? '',
        HTTP_CONTENT_ENCODING: request.headers['content-encoding'] ?? '',
        GIT_PROTOCOL: String(request.headers['git-protocol'] ?? ''),
        REMOTE_USER: user,
        REMOTE_ADDR: '127.0.0.1',
      },
    });
    request.pipe(child.stdin);
    child.stderr.resume();
    let head = Buffer.alloc(0);
    let headersDone = false;
    child.stdout.on('data', (chunk: Buffer) => {
      if (headersDone) {
        response.write(chunk);
        return;
      }
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end === -1) return;
      headersDone = true;
      let status = 200;
      for (const line of head.subarray(0, end).toString('utf8').split('\r\n')) {
        const colon = line.indexOf(':');
        const name = line.slice(0, colon).trim();
        const value = line.slice(colon + 1).trim();
        if (name.toLowerCase() === 'status')
          status = Number.parseInt(value, 10);
        else response.setHeader(name, value);
      }
      response.writeHead(status);
      response.write(head.subarray(end + 4));
    });
    child.stdout.on('end', () => response.end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
