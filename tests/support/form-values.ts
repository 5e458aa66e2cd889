/** A valid value of each form field type, for tests that fill a case's form (an enum takes its first option). */
export const VALID_BY_TYPE: Readonly<Record<string, string>> = {
  string: '按规定办理',
  idNumber: '371425199003070018',
  uscc: '91371425MA3C8K7P1B',
  phone: '13853412345',
  date: '2035-03-07',
  address: '山东省德州市齐河县晏城街道齐鲁大街88号',
  money: '100000',
  number: '3',
  area: '120',
  boolean: 'false',
};

/** The value `VALID_BY_TYPE` (or `byType`) gives a field. */
export function validValueFor(f: { type: string; options?: ReadonlyArray<{ value: string }> | undefined }, byType: Readonly<Record<string, string>> = VALID_BY_TYPE): string {
  return f.type === 'enum' ? f.options![0]!.value : byType[f.type]!;
}
