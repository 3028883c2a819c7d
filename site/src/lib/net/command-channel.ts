/**
 * Commands over a live socket, answered by id. Each command gets a fresh id
 * and waits in the pending list until the server settles it (an ack, a reply
 * naming it, or an error naming it). On every (re)open the unanswered ones are
 * sent again, oldest first, with their ids, so the server applies each once.
 */
import { newId } from './id.ts';

/** A command waiting for its answer. */
export interface Pending<C> {
  command: C;
  /** Sent on the current connection (else waiting for one). */
  sent: boolean;
}

interface CommandChannelOptions<C extends { readonly id: string }, R> {
  /** Sends a frame; false when the socket is not open. */
  send: (frame: object) => boolean;
  /** The wire frame for a command. */
  frame: (command: C) => object;
  /** Commands left unanswered by an earlier page (e.g. a persistent queue), waiting to be sent. */
  initial?: readonly C[];
  /** The pending list changed (after an issue, a settle, an open or a close): persist it, render it. */
  onChange?: (pending: readonly Pending<C>[]) => void;
  /** Hold commands until `opened()` rather than try the socket at once. */
  waitForOpen?: boolean;
  /** Abandon a command unanswered after this long, settling it with `result` (never resent). */
  timeout?: { ms: number; result: R };
}

interface Entry<C, R> extends Pending<C> {
  resolve: (r: R) => void;
}

export class CommandChannel<C extends { readonly id: string }, R> {
  private entries: Entry<C, R>[];
  private live: boolean;

  constructor(private readonly o: CommandChannelOptions<C, R>) {
    this.entries = (o.initial ?? []).map((command) => ({ command, sent: false, resolve: () => undefined }));
    this.live = !o.waitForOpen;
  }

  get pending(): readonly Pending<C>[] {
    return this.entries.map(({ command, sent }) => ({ command, sent }));
  }

  /** Makes a command with a fresh id and sends it if the socket is open; `answer` resolves when it settles. */
  issue(make: (id: string) => C): { command: C; answer: Promise<R> } {
    const command = make(newId());
    let resolve: (r: R) => void = () => undefined;
    const answer = new Promise<R>((r) => {
      resolve = r;
    });
    const sent = this.live && this.o.send(this.o.frame(command));
    this.entries = [...this.entries, { command, sent, resolve }];
    this.changed();
    const timeout = this.o.timeout;
    if (timeout) setTimeout(() => this.settle(command.id, timeout.result), timeout.ms);
    return { command, answer };
  }

  /** The server answered command `id`: it leaves the list. Returns it (null if it was not pending). */
  settle(id: string, result: R): C | null {
    const entry = this.entries.find((e) => e.command.id === id);
    if (!entry) return null;
    this.entries = this.entries.filter((e) => e !== entry);
    this.changed();
    entry.resolve(result);
    return entry.command;
  }

  /** The socket is open: send every unanswered command again, oldest first, with its id. */
  opened(): void {
    this.live = true;
    this.entries = this.entries.map((e) => ({ ...e, sent: this.o.send(this.o.frame(e.command)) }));
    this.changed();
  }

  /** The socket is gone: nothing is sent until the next `opened()`. */
  closed(): void {
    this.live = false;
    if (!this.entries.some((e) => e.sent)) return;
    this.entries = this.entries.map((e) => ({ ...e, sent: false }));
    this.changed();
  }

  private changed(): void {
    this.o.onChange?.(this.pending);
  }
}
