import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * A loopback TCP proxy in front of the sandbox that can misbehave like a network: add delay,
 * stall (accept and never answer), cut every open connection, or go down (refuse connections)
 * and come back on the same port.
 */
export class FaultyProxy {
  #server: Server | undefined;
  #sockets = new Set<Socket>();
  port = 0;
  mode: 'pass' | 'stall' = 'pass';
  delayMs = 0;
  /** Connections accepted so far. */
  connections = 0;

  constructor(readonly targetPort: number) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async up(): Promise<void> {
    const server = createServer((client) => this.#accept(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ port: this.port, host: '127.0.0.1' }, resolve);
    });
    this.port = (server.address() as AddressInfo).port;
    this.#server = server;
  }

  #accept(client: Socket): void {
    this.connections += 1;
    this.#sockets.add(client);
    client.on('close', () => this.#sockets.delete(client));
    client.on('error', () => undefined);
    if (this.mode === 'stall') return; // read nothing, answer nothing
    const upstream = connect({ port: this.targetPort, host: '127.0.0.1' });
    this.#sockets.add(upstream);
    upstream.on('close', () => {
      this.#sockets.delete(upstream);
      client.destroy();
    });
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
    const forward = (to: Socket) => (chunk: Buffer) => {
      if (this.delayMs > 0) setTimeout(() => to.write(chunk), this.delayMs);
      else to.write(chunk);
    };
    client.on('data', forward(upstream));
    upstream.on('data', forward(client));
  }

  /** Resets every open connection, as a network drop would. */
  cutAll(): void {
    for (const socket of this.#sockets) socket.destroy();
  }

  /** Stops listening and drops every connection: new connections are refused until `up()`. */
  async down(): Promise<void> {
    this.cutAll();
    await new Promise<void>((resolve) => (this.#server ? this.#server.close(() => resolve()) : resolve()));
    this.#server = undefined;
  }

  close(): Promise<void> {
    return this.down();
  }
}

export async function startProxy(targetUrl: string): Promise<FaultyProxy> {
  const proxy = new FaultyProxy(Number(new URL(targetUrl).port));
  await proxy.up();
  return proxy;
}
