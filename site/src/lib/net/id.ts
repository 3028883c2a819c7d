/** Random ids for commands. crypto.randomUUID needs a secure context; getRandomValues does not (phones on a LAN IP). */
export function newId(): string {
  const b = crypto.getRandomValues(new Uint8Array(12));
  let s = '';
  for (const x of b) s += x.toString(16).padStart(2, '0');
  return s;
}
