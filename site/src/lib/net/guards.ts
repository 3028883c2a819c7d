/** Tiny runtime guards for data from the network (no zod on the viewer page: it would dwarf the rest). */
export type Rec = Record<string, unknown>;

/** `M` with the fields in `K` optional: a server type as a guard accepts it from an older or newer server. */
export type Loose<M, K extends keyof M> = Omit<M, K> & Partial<Pick<M, K>>;

export const isRec = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);
export const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
export const isStr = (v: unknown): v is string => typeof v === 'string';
export const isBool = (v: unknown): v is boolean => typeof v === 'boolean';
export const isNumOrNull = (v: unknown): v is number | null => v === null || isNum(v);
export const isStrOrNull = (v: unknown): v is string | null => v === null || isStr(v);
export const oneOf =
  <T extends string>(...values: T[]) =>
  (v: unknown): v is T =>
    values.includes(v as T);
export const arrayOf =
  <T>(item: (v: unknown) => v is T) =>
  (v: unknown): v is T[] =>
    Array.isArray(v) && v.every(item);

/** Parses JSON text, or returns undefined. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
