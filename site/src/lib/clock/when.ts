/** Instants as people read them in tables: the time of day, with the date when it is not today. */
import { span } from '../format/intl.ts';

const sameDay = (a: Date, b: Date) =>
  a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();

export function when(at: number, now = Date.now()): string {
  const d = new Date(at);
  const time = d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  return sameDay(d, new Date(now)) ? time : `${d.toLocaleDateString([], { month: 'short', day: 'numeric' })} ${time}`;
}

/** A span in the reader's locale, "12 sec", "4 min", "2 hr" (for ages such as the oldest pending outbox row). */
export function age(ms: number): string {
  return span(ms);
}
