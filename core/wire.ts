/**
 * The frames every socket kind shares, sent by the platform's base object:
 * the answer to a ping and the error frame. Each capability's wire.ts adds
 * its own messages to these.
 */

/** The answer to `ping`: `t0` echoed, the server's clock, the object's version, and the ping's id when it had one. */
export type PongMessage = { type: 'pong'; t0?: number; serverTime: number; version: number; replyTo?: string };

/** A refused or malformed message; `id` names the message it answers when that had one. */
export type ErrorMessage = {
  type: 'error';
  id?: string;
  code: string;
  message: string;
  /** Optional context, e.g. what became of the session a stale session command named. */
  details?: unknown;
  version: number;
  serverTime: number;
};
