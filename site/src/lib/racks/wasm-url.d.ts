/** Vite's `?url` import of a .wasm: the built asset's URL on this site. */
declare module '*.wasm?url' {
  const url: string;
  export default url;
}
