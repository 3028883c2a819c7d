import { describe, expect, it } from 'vitest';
import { commandFromPath, encodeReply, parseCommand, parseCommandList } from './upstash-protocol.mjs';

const b64 = (s: string) => Buffer.from(s).toString('base64');

describe('encodeReply', () => {
  it('keeps a top-level status OK plain and encodes every other string', () => {
    expect(encodeReply('OK', true)).toBe('OK');
    expect(encodeReply(Buffer.from('OK'), true)).toBe(b64('OK'));
    expect(encodeReply('PONG', true)).toBe(b64('PONG'));
    expect(encodeReply(['OK', Buffer.from('x')], true)).toEqual([b64('OK'), b64('x')]);
  });

  it('leaves numbers and nulls alone and recurses into nested arrays', () => {
    expect(encodeReply([Buffer.from('0'), [Buffer.from('k'), null, 3]], true)).toEqual([b64('0'), [b64('k'), null, 3]]);
    expect(encodeReply(null, true)).toBeNull();
    expect(encodeReply(7, true)).toBe(7);
  });

  it('decodes Buffers as UTF-8 without base64', () => {
    expect(encodeReply([Buffer.from('é'), 'OK'], false)).toEqual(['é', 'OK']);
  });
});

describe('parsing', () => {
  it('stringifies numbers and booleans, refuses objects and connection-state commands', () => {
    expect(parseCommand(['set', 'k', 1, true])).toEqual({ args: ['set', 'k', '1', 'true'] });
    expect(parseCommand(['get', null])).toHaveProperty('error');
    expect(parseCommand([])).toHaveProperty('error');
    expect(parseCommand(['SUBSCRIBE', 'c'])).toEqual({ error: 'ERR command is not available: SUBSCRIBE' });
    expect(parseCommandList([['ping'], 'nope'])).toHaveProperty('error');
  });

  it('reads path commands, query flags and a POST body', () => {
    expect(commandFromPath(new URL('http://x/set/a%2Fb/v?EX=10&_token=t'), '')).toEqual({
      args: ['set', 'a/b', 'v', 'EX', '10'],
    });
    expect(commandFromPath(new URL('http://x/set/k?NX'), 'body')).toEqual({ args: ['set', 'k', 'NX', 'body'] });
    expect(commandFromPath(new URL('http://x/'), '')).toHaveProperty('error');
  });
});
