/** pako (a dependency of pdf-lib, no bundled types): only the object is needed, see native-deflate.ts. */
declare module 'pako' {
  const pako: unknown;
  export default pako;
}
