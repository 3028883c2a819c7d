import { describe, expect, it } from 'vitest';
import { terminateWatcher } from './neon-relay.mjs';

/** A typed frontend message: type byte, int32 length (counting itself), body. */
const msg = (type: string, body = Buffer.alloc(0)) => {
  const header = Buffer.alloc(5);
  header.write(type, 0, 'latin1');
  header.writeInt32BE(4 + body.length, 1);
  return Buffer.concat([header, body]);
};
const startup = () => {
  const params = Buffer.from('user\0postgres\0database\0postgres\0\0', 'latin1');
  const head = Buffer.alloc(8);
  head.writeInt32BE(8 + params.length, 0);
  head.writeInt32BE(196608, 4);
  return Buffer.concat([head, params]);
};

describe('terminateWatcher', () => {
  it('spots Terminate after the startup packet and queries', () => {
    const watch = terminateWatcher();
    expect(watch(startup())).toBe(false);
    expect(watch(msg('Q', Buffer.from('select 1\0')))).toBe(false);
    expect(watch(msg('X'))).toBe(true);
  });

  it('is not fooled by an X inside a message body, and copes with any chunking', () => {
    const stream = Buffer.concat([
      startup(),
      msg('Q', Buffer.from("select 'X'\0")),
      msg('P', Buffer.alloc(300, 0x58)),
      msg('S'),
      msg('X'),
    ]);
    for (const size of [1, 3, 7, 64, stream.length]) {
      const watch = terminateWatcher();
      const seen: boolean[] = [];
      for (let i = 0; i < stream.length; i += size) seen.push(watch(stream.subarray(i, i + size)));
      expect(seen.filter(Boolean)).toHaveLength(1);
      expect(seen.at(-1)).toBe(true);
    }
  });
});
