// Byte length of a string in UTF-8 on any runtime: Buffer where Node has it, a char-code walk elsewhere.

interface MaybeBuffer {
  Buffer?: { byteLength(text: string, encoding: 'utf8'): number };
}

/** Same result as TextEncoder().encode(text).length without allocating the bytes. */
export function utf8LengthPortable(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i += 1;
      } else bytes += 3;
    } else bytes += 3; // BMP, and lone surrogates (encoded as U+FFFD, 3 bytes)
  }
  return bytes;
}

/** Buffer.byteLength is native and stays the Node path; other runtimes walk the string. */
export function utf8Length(text: string): number {
  const node = (globalThis as MaybeBuffer).Buffer;
  return node === undefined ? utf8LengthPortable(text) : node.byteLength(text, 'utf8');
}
