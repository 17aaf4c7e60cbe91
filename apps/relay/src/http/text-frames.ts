/**
 * WebSocket text frames as a server writes them (RFC 6455 §5.2: FIN set, opcode 1, no mask),
 * several in one buffer: a 2-, 4- or 10-byte header before each frame's UTF-8 bytes.
 *
 * `ws` frames each message on its own: an options object, a header buffer and two stream
 * writes per frame, then a `writev` of every piece. A relay that sends four frames per chat
 * message spent more on that than on the system call (docs/performance.md).
 */
export function encodeTextFrames(texts: readonly string[]): Buffer {
  const lengths = new Array<number>(texts.length);
  let size = 0;
  for (let i = 0; i < texts.length; i++) {
    const length = Buffer.byteLength(texts[i]!, 'utf8');
    lengths[i] = length;
    size += headerSize(length) + length;
  }
  const buffer = Buffer.allocUnsafe(size);
  let at = 0;
  for (let i = 0; i < texts.length; i++) {
    const length = lengths[i]!;
    buffer[at] = 0x81;
    if (length < 126) {
      buffer[at + 1] = length;
      at += 2;
    } else if (length < 65536) {
      buffer[at + 1] = 126;
      buffer.writeUInt16BE(length, at + 2);
      at += 4;
    } else {
      buffer[at + 1] = 127;
      buffer.writeUInt32BE(0, at + 2);
      buffer.writeUInt32BE(length, at + 6);
      at += 10;
    }
    at += buffer.write(texts[i]!, at, length, 'utf8');
  }
  return buffer;
}

function headerSize(length: number): number {
  return length < 126 ? 2 : length < 65536 ? 4 : 10;
}
