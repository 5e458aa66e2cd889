import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import path from 'node:path';
import { AppError } from '../../../shared/errors.js';

/**
 * How an office's certificate password is kept at this workstation. The PKCS#12 file is stored
 * with the seal settings; its password is stored only encrypted by a `SecretBox`:
 *
 * - In Electron, `safeStorage` (electron/main.ts passes it as `sealSecrets`): the operating system's
 *   key store (DPAPI on Windows, Keychain, libsecret) — the password cannot be read off a copied disk.
 * - In the browser preview and the tests, `keyFileSecretBox`: AES-256-GCM with a random key in a
 *   file of the data folder, readable only by the user (0600). LIMITATION: anyone who can read the
 *   whole data folder as that user (or a backup of it) has both the key file and the ciphertext, so
 *   this only keeps the password out of the database file itself and out of logs.
 */
export interface SecretBox {
  kind: 'safeStorage' | 'keyFile';
  encrypt(plain: string): string;
  decrypt(sealed: string): string;
}

const KEY_FILE = 'seal-secret.key';

/** The key file's key, made once (written to a temp file, fsync'd, renamed) with mode 0600. */
function keyFileKey(dir: string): Buffer {
  const file = path.join(dir, KEY_FILE);
  try {
    const key = readFileSync(file);
    if (key.length === 32) return key;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const key = randomBytes(32);
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeSync(fd, key);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
  return key;
}

export function keyFileSecretBox(dir: string): SecretBox {
  let key: Buffer | null = null;
  const k = () => (key ??= keyFileKey(dir));
  return {
    kind: 'keyFile',
    encrypt(plain) {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', k(), iv);
      const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
      return `v1:${Buffer.concat([iv, c.getAuthTag(), body]).toString('base64')}`;
    },
    decrypt(sealed) {
      const raw = Buffer.from(sealed.replace(/^v1:/, ''), 'base64');
      const d = createDecipheriv('aes-256-gcm', k(), raw.subarray(0, 12));
      d.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([d.update(raw.subarray(28)), d.final()]).toString('utf8');
    },
  };
}

/** The password could not be opened (key file lost, another machine's key store): re-import. */
export const SEAL_SECRET_LOST = '本单位印章设置中的证书密码无法解密（本机密钥已更换或丢失），请系统管理员在“印章设置”中重新导入印章和证书。未出具任何文书。';

export function openSecret(box: SecretBox, kind: SecretBox['kind'], sealed: string): string {
  if (kind !== box.kind) throw new AppError('bad_request', SEAL_SECRET_LOST, `password sealed by ${kind}, this workstation uses ${box.kind}`);
  try {
    return box.decrypt(sealed);
  } catch (err) {
    throw new AppError('bad_request', SEAL_SECRET_LOST, `password not decrypted: ${err instanceof Error ? err.message : String(err)}`);
  }
}
