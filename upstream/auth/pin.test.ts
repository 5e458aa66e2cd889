import { describe, expect, it } from 'vitest';
import { HallConfig } from '../../shared/office/config.js';
import { loadHallConfig } from '../config.js';
import { hashPin, verifyPin } from './pin.js';

describe('staff PIN hashing', () => {
  it('stores scrypt$N$r$p$salt$hash with N=16384 r=8 p=1 and a 16-byte salt, never the PIN', async () => {
    const h = await hashPin('123456');
    const [kdf, N, r, p, salt, key] = h.split('$');
    expect([kdf, N, r, p]).toEqual(['scrypt', '16384', '8', '1']);
    expect(Buffer.from(salt!, 'base64')).toHaveLength(16);
    expect(Buffer.from(key!, 'base64')).toHaveLength(32);
    expect(h).not.toContain('123456');
    expect(await hashPin('123456')).not.toBe(h); // salted
  });

  it('verifies the right PIN and refuses a wrong one or a malformed hash', async () => {
    const h = await hashPin('246810');
    expect(await verifyPin('246810', h)).toBe(true);
    expect(await verifyPin('246811', h)).toBe(false);
    expect(await verifyPin('246810', 'plain$246810')).toBe(false);
    expect(await verifyPin('246810', h.replace('$16384$', '$16385$'))).toBe(false); // N not a power of two
  });

  it('the default hall configuration is valid and every demo PIN is 123456', async () => {
    const cfg = loadHallConfig();
    expect(HallConfig.safeParse(cfg).success).toBe(true);
    const county = cfg.offices.find((o) => o.id === 'qihe-county')!;
    const branch = cfg.offices.find((o) => o.id === 'qihe-edz')!;
    expect(county.boards.map((b) => b.name)).toEqual(['市场准入', '社会事务', '建设项目', '人社医保', '不动产登记', '公积金', '税务']);
    expect(county.windows).toHaveLength(12);
    expect(branch.prefix).toBe('K');
    expect(branch.boards.map((b) => b.code)).toEqual(['A', 'C', 'G']);
    expect(branch.windows).toHaveLength(3);
    const byId = new Map(cfg.staff.map((s) => [s.id, s]));
    expect(byId.get('2001')).toMatchObject({ name: '刘洋', office: 'qihe-edz', roles: ['branch_staff'] });
    expect(byId.get('9001')?.roles).toEqual(['supervisor']);
    expect(byId.get('9999')?.roles).toEqual(['admin']);
    for (const s of cfg.staff) expect(await verifyPin('123456', s.pinHash), s.id).toBe(true);
  });
});
