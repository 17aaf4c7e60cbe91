import { existsSync, unlinkSync } from 'node:fs';
import { Socket } from 'node:net';

/**
 * A fault injector for the relay child, loaded with `NODE_OPTIONS=--import <this file>`: the
 * process SIGKILLs itself at the very moment it is about to write the `ack` of one chosen
 * client id. The relay sends an ack only after the message's transaction has committed, so this
 * is a crash after the commit and before the ack — issue 6 row F2 — placed exactly, not by timing.
 *
 * It fires once: only while the flag file exists, which it deletes first, so the restarted relay
 * (same environment) runs normally. Without both variables it does nothing.
 */
const flag = process.env['PARLEY_TEST_KILL_FLAG'];
const clientId = process.env['PARLEY_TEST_KILL_BEFORE_ACK_OF'];

if (flag && clientId) {
  const write = Socket.prototype.write;
  const marker = `"clientId":"${clientId}"`;
  Socket.prototype.write = function (this: Socket, chunk: unknown, ...rest: unknown[]) {
    if ((typeof chunk === 'string' || chunk instanceof Uint8Array) && isAckOf(chunk) && existsSync(flag)) {
      unlinkSync(flag);
      process.kill(process.pid, 'SIGKILL');
    }
    return (write as (this: Socket, ...args: unknown[]) => boolean).call(this, chunk, ...rest);
  } as typeof write;

  function isAckOf(chunk: string | Uint8Array): boolean {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('latin1');
    return text.includes('"type":"ack"') && text.includes(marker);
  }
}
