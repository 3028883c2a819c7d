/**
 * The X-KT-Access header value the Worker hands an object: JSON with every
 * non-ASCII character escaped, so client text in it (a device name) is always
 * a valid header value; the object's JSON.parse reads it back unchanged.
 */
export const accessHeaderValue = (access: object): string =>
  JSON.stringify(access).replace(/[\u007f-\uffff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
