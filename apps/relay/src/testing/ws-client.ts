import { WebSocket } from 'ws';
import { parseServerFrame, type ServerFrame } from '@parley/protocol';

type FrameOf<T extends ServerFrame['type']> = Extract<ServerFrame, { type: T }>;

/** How long a test waits for an expected frame before failing with what it did receive. */
const WAIT_MS = 3000;

/**
 * A test peer over a real socket. Keeps every frame it received (so a test can assert over all
 * of them, e.g. "never a note") and reads them in order through a cursor with `next`.
 * Every frame is checked against the protocol's server schema: a relay sending a malformed
 * frame fails the test that reads it.
 */
export class TestSocket {
  readonly frames: ServerFrame[] = [];
  /** Frames the relay sent that do not match the protocol: must stay empty. */
  readonly invalid: unknown[] = [];
  readonly errors: Error[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  private cursor = 0;
  private listeners = new Set<() => void>();

  readonly ws: WebSocket;

  private constructor(ws: WebSocket) {
    this.ws = ws;
    ws.on('message', (data, isBinary) => {
      const text = isBinary ? '' : data.toString();
      const parsed = parseServerFrame(text);
      if (parsed.ok) this.frames.push(parsed.value);
      else this.invalid.push(text);
      for (const listener of [...this.listeners]) listener();
    });
    this.closed = new Promise((resolve) => {
      ws.on('close', (code, reason) => {
        resolve({ code, reason: reason.toString() });
        for (const listener of [...this.listeners]) listener();
      });
    });
  }

  /** Opens a socket; rejects with the HTTP status when the upgrade is refused. */
  static open(url: string, headers: Record<string, string> = {}, options: { autoPong?: boolean } = {}): Promise<TestSocket> {
    return new Promise((resolve, reject) => {
      // autoPong: false plays a half-open peer that never answers the relay's pings.
      const ws = new WebSocket(url, { headers, autoPong: options.autoPong ?? true });
      const socket = new TestSocket(ws);
      ws.once('open', () => resolve(socket));
      ws.once('unexpected-response', (_request, response) => {
        reject(new UpgradeRefused(response.statusCode ?? 0));
        ws.terminate();
      });
      // Kept for the socket's life: an 'error' event without a listener would crash the test run.
      ws.on('error', (error) => {
        socket.errors.push(error);
        reject(error);
      });
    });
  }

  send(frame: unknown) {
    this.ws.send(JSON.stringify(frame));
  }

  sendRaw(data: string | Buffer, options: { binary?: boolean } = {}) {
    this.ws.send(data, { binary: options.binary ?? typeof data !== 'string' });
  }

  /** The next frame of `type` (after the cursor) matching `match`; moves the cursor past it. */
  next<T extends ServerFrame['type']>(type: T, match: (frame: FrameOf<T>) => boolean = () => true, timeoutMs = WAIT_MS): Promise<FrameOf<T>> {
    return this.nextWhere((frame) => frame.type === type && match(frame as FrameOf<T>), `"${type}"`, timeoutMs) as Promise<FrameOf<T>>;
  }

  /** The next frame (after the cursor) for which `match` holds; moves the cursor past it. */
  nextWhere(match: (frame: ServerFrame) => boolean, what = 'a matching frame', timeoutMs = WAIT_MS): Promise<ServerFrame> {
    return new Promise((resolve, reject) => {
      const check = () => {
        for (let i = this.cursor; i < this.frames.length; i++) {
          const frame = this.frames[i]!;
          if (match(frame)) {
            this.cursor = i + 1;
            done();
            resolve(frame);
            return true;
          }
        }
        if (this.ws.readyState === WebSocket.CLOSED) {
          done();
          reject(new Error(`socket closed while waiting for ${what}; got ${this.describe()}`));
          return true;
        }
        return false;
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`no ${what} within ${timeoutMs} ms; got ${this.describe()}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.listeners.delete(listener);
      };
      const listener = () => void check();
      if (!check()) this.listeners.add(listener);
    });
  }

  /** Frames received after the cursor, without moving it. */
  pending(): ServerFrame[] {
    return this.frames.slice(this.cursor);
  }

  /** A round trip: every frame the relay sent before the pong has arrived once this resolves. */
  async sync(): Promise<void> {
    const t = Math.random();
    const cursor = this.cursor;
    this.send({ type: 'ping', t });
    await this.next('pong', (frame) => frame.t === t);
    this.cursor = cursor;
  }

  async close(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return;
    this.ws.close();
    await this.closed;
  }

  private describe(): string {
    return JSON.stringify(this.frames.map((f) => (f.type === 'error' ? `error:${f.code}` : f.type)));
  }
}

export class UpgradeRefused extends Error {
  readonly status: number;
  constructor(status: number) {
    super(`WebSocket upgrade refused with HTTP ${status}`);
    this.status = status;
    this.name = 'UpgradeRefused';
  }
}
