/** The part of sm-crypto (CommonJS, no bundled types) that certificates use. */
declare module 'sm-crypto' {
  interface Sm2SignOptions {
    hash?: boolean;
    der?: boolean;
    publicKey?: string;
    userId?: string;
  }
  interface Sm2 {
    generateKeyPairHex(): { privateKey: string; publicKey: string };
    getPublicKeyFromPrivateKey(privateKey: string): string;
    doSignature(msg: string | Uint8Array, privateKey: string, options?: Sm2SignOptions): string;
    doVerifySignature(msg: string | Uint8Array, signature: string, publicKey: string, options?: Omit<Sm2SignOptions, 'publicKey'>): boolean;
  }
  const smCrypto: { sm2: Sm2; sm3(input: string): string };
  export default smCrypto;
}
