import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Debian's redis-server, when this machine has it. */
const binary = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).stdout.trim() || undefined;

/**
 * Whether the Redis tests run here. Without redis-server they are skipped with a printed reason,
 * except under CI (`.ci/run` sets CI=1 and installs it), where a missing server is a failure.
 */
export const HAVE_REDIS = binary !== undefined || process.env.CI !== undefined;
if (!binary) {
  const reason = 'redis-server not found (Debian: apt-get install -y redis-server)';
  if (process.env.CI) throw new Error(`CI needs a real Redis: ${reason}`);
  console.warn(`skipping the Redis tests: ${reason}`);
}

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

/** A real redis-server on a free port, in a temporary folder, with no persistence (as a crash without AOF loses everything). */
export class RedisServer {
  readonly port: number;
  readonly #args: string[];
  #child: ChildProcess | undefined;

  private constructor(port: number, args: string[]) {
    this.port = port;
    this.#args = args;
  }

  static async start(extra: string[] = []): Promise<RedisServer> {
    for (let attempt = 0; ; attempt++) {
      const port = await freePort();
      const server = new RedisServer(port, [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--dir',
        mkdtempSync(join(tmpdir(), 'fe-redis-')),
        ...extra,
      ]);
      try {
        await server.resume();
        return server;
      } catch (error) {
        if (attempt >= 3) throw error;
      }
    }
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts (again) on the same port: after `crash()`, an empty Redis, as a restart without AOF. */
  resume(): Promise<void> {
    const child = spawn(binary ?? 'redis-server', this.#args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.#child = child;
    return new Promise((resolve, reject) => {
      let out = '';
      child.stdout!.setEncoding('utf8').on('data', (d: string) => {
        out += d;
        if (out.includes('Ready to accept connections')) resolve();
      });
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`redis-server exited (${code}): ${out.slice(-500)}`)));
    });
  }

  /** Kills it at once (SIGKILL): what a crashed or unplugged Redis looks like to clients. */
  async crash(): Promise<void> {
    const child = this.#child;
    // Ended already (a process killed by a signal has no exit code, only its signal): nothing to wait for.
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise((resolve) => {
      child.once('exit', resolve);
      child.kill('SIGKILL');
    });
  }

  stop(): Promise<void> {
    return this.crash();
  }
}
