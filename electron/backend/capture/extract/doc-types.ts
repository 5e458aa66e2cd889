import { toHalfWidth } from '../../../../shared/checks/normalize-chars.js';
import type { LabelSpec } from './segments.js';
import * as v from './values.js';

/**
 * The documents capture knows: how to tell them apart (keywords and their weights), the labels
 * printed on them, and how each field's text becomes a value. Field names follow the ground-truth
 * format of `bench:extract` (idcard_front: name, sex, ethnicity, birthDate, address, idNumber …).
 */

export const DOC_TYPES = ['idcard_front', 'idcard_back', 'business_license', 'property_certificate', 'birth_certificate'] as const;
export type DocType = (typeof DOC_TYPES)[number];

export const DOC_TYPE_NAMES: Record<DocType, string> = {
  idcard_front: '居民身份证（人像面）',
  idcard_back: '居民身份证（国徽面）',
  business_license: '营业执照',
  property_certificate: '不动产权证书',
  birth_certificate: '出生医学证明',
};

export interface FieldDef {
  name: string;
  /** Chinese label shown to the clerk. */
  label: string;
  /** The label spec (zone) the text comes from. */
  source: string;
  norm: (text: string) => v.Normalised;
  /** Where the zone gives nothing valid: a pattern searched in every text piece (compacted). */
  pattern?: RegExp;
  /** Not on every document of the type (registered capital of a sole trader). */
  optional?: boolean;
  /** Validated by a check character (GB 11643, GB 32100): a valid value is near certain. */
  checksum?: boolean;
}

export interface DocTypeDef {
  type: DocType;
  keywords: ReadonlyArray<[string, number]>;
  specs: readonly LabelSpec[];
  fields: readonly FieldDef[];
}

const text = (t: string): v.Normalised => {
  const s = v.chineseText(t);
  return s ? { value: s, valid: true } : { value: s, valid: false, problem: '未识别到内容' };
};
/** Lenient on purpose: the value is validated (and repaired when provable) afterwards. */
const ID_PATTERN = /(?<![0-9A-Z])[0-9OIZSB]{17}[0-9XKOI](?![0-9A-Z])/;
const USCC_PATTERN = /(?<![0-9A-Z])[0-9A-Z]{2}[0-9OIZS]{6}[0-9A-Z]{10}(?![0-9A-Z])/;

const VALIDITY_PATTERN = /\d{4}[.\-]?\d{2}[.\-]?\d{2}[-—~至](?:\d{4}[.\-]?\d{2}[.\-]?\d{2}|长期)/;

const idcardFront: DocTypeDef = {
  type: 'idcard_front',
  keywords: [['公民身份号码', 3], ['姓名', 1], ['性别', 1], ['民族', 1], ['出生', 1], ['住址', 1]],
  specs: [
    { field: 'name', labels: ['姓名'] },
    { field: 'sex', labels: ['性别'] },
    { field: 'ethnicity', labels: ['民族'], inline: true },
    { field: 'birthDate', labels: ['出生'] },
    { field: 'address', labels: ['住址'], multiline: true },
    { field: 'idNumber', labels: ['公民身份号码', '公民身份号', '身份号码'] },
  ],
  fields: [
    { name: 'name', label: '姓名', source: 'name', norm: v.personName },
    { name: 'sex', label: '性别', source: 'sex', norm: v.sex },
    { name: 'ethnicity', label: '民族', source: 'ethnicity', norm: (t) => text(t.replace(/族$/, '')) },
    { name: 'birthDate', label: '出生', source: 'birthDate', norm: v.date },
    { name: 'address', label: '住址', source: 'address', norm: text },
    { name: 'idNumber', label: '公民身份号码', source: 'idNumber', norm: v.idNumber, pattern: ID_PATTERN, checksum: true },
  ],
};

const idcardBack: DocTypeDef = {
  type: 'idcard_back',
  keywords: [['签发机关', 3], ['有效期限', 3], ['居民身份证', 2], ['中华人民共和国', 1]],
  specs: [
    { field: 'issuingAuthority', labels: ['签发机关'] },
    { field: 'validity', labels: ['有效期限', '有效期'] },
  ],
  fields: [
    { name: 'issuingAuthority', label: '签发机关', source: 'issuingAuthority', norm: text },
    { name: 'validFrom', label: '有效期限（起）', source: 'validity', norm: (t) => v.validity(t)[0], pattern: VALIDITY_PATTERN },
    { name: 'validUntil', label: '有效期限（至）', source: 'validity', norm: (t) => v.validity(t)[1], pattern: VALIDITY_PATTERN },
  ],
};

const businessLicense: DocTypeDef = {
  type: 'business_license',
  keywords: [['营业执照', 3], ['统一社会信用代码', 3], ['经营范围', 2], ['法定代表人', 1], ['注册资本', 1], ['成立日期', 1], ['登记机关', 1]],
  specs: [
    { field: 'uscc', labels: ['统一社会信用代码'], below: true },
    { field: 'name', labels: ['名称'] },
    { field: 'entityType', labels: ['类型'] },
    { field: 'legalRepresentative', labels: ['法定代表人', '经营者', '负责人', '执行事务合伙人', '投资人'] },
    { field: 'registeredCapital', labels: ['注册资本', '出资额'] },
    { field: 'establishedDate', labels: ['成立日期', '注册日期'] },
    { field: 'term', labels: ['营业期限', '合伙期限'] },
    { field: 'form', labels: ['组成形式'] },
    { field: 'address', labels: ['住所', '经营场所', '主要经营场所'], multiline: true },
    { field: 'businessScope', labels: ['经营范围'], multiline: true },
    { field: 'authority', labels: ['登记机关'] },
  ],
  fields: [
    { name: 'uscc', label: '统一社会信用代码', source: 'uscc', norm: v.creditCode, pattern: USCC_PATTERN, checksum: true },
    { name: 'name', label: '名称', source: 'name', norm: text },
    { name: 'entityType', label: '类型', source: 'entityType', norm: text },
    { name: 'legalRepresentative', label: '法定代表人（经营者）', source: 'legalRepresentative', norm: v.personName },
    { name: 'registeredCapital', label: '注册资本', source: 'registeredCapital', norm: text, optional: true },
    { name: 'establishedDate', label: '成立日期', source: 'establishedDate', norm: v.date },
    { name: 'address', label: '住所', source: 'address', norm: text },
    { name: 'businessScope', label: '经营范围', source: 'businessScope', norm: (t) => text(v.standardScopeTail(t)) },
  ],
};

/** Areas on a property certificate are printed in m² with two decimals: without a point the reading is doubtful. */
const AREA = (label: RegExp) => (t: string): v.Normalised => {
  const a = v.areaAfter(t, label);
  if (!a) return { value: '', valid: false, problem: '面积无法识别' };
  return a.includes('.') ? { value: a, valid: true } : { value: a, valid: false, problem: '面积读数缺少小数点，请与证书核对' };
};

const propertyCertificate: DocTypeDef = {
  type: 'property_certificate',
  keywords: [['不动产权', 3], ['不动产单元号', 3], ['权利人', 2], ['坐落', 2], ['共有情况', 1], ['权利类型', 1], ['权利性质', 1], ['使用期限', 1]],
  specs: [
    { field: 'owner', labels: ['权利人'] },
    { field: 'ownership', labels: ['共有情况'] },
    { field: 'address', labels: ['坐落'], multiline: true },
    { field: 'unitNo', labels: ['不动产单元号'], multiline: true },
    { field: 'rightType', labels: ['权利类型'], multiline: true },
    { field: 'rightNature', labels: ['权利性质'], multiline: true },
    { field: 'use', labels: ['用途'], multiline: true },
    { field: 'area', labels: ['面积'], multiline: true },
    { field: 'term', labels: ['使用期限'], multiline: true },
    { field: 'other', labels: ['权利其他状况'], multiline: true },
  ],
  fields: [
    { name: 'certificateNo', label: '不动产权证书号', source: '', norm: text, pattern: /.{1,2}[（(]\d{4}[）)].{1,12}不动产权第\d{7}号/ },
    { name: 'owner', label: '权利人', source: 'owner', norm: text },
    { name: 'ownership', label: '共有情况', source: 'ownership', norm: text },
    { name: 'address', label: '坐落', source: 'address', norm: text },
    { name: 'unitNo', label: '不动产单元号', source: 'unitNo', norm: unitNo, pattern: /\d{12}[A-Z]{2}\d{5}[A-Z]\d{8}/ },
    { name: 'rightType', label: '权利类型', source: 'rightType', norm: text },
    { name: 'use', label: '用途', source: 'use', norm: text },
    { name: 'landArea', label: '宗地面积（㎡）', source: 'area', norm: AREA(/宗地面积/) },
    { name: 'buildingArea', label: '建筑面积（㎡）', source: 'area', norm: AREA(/建筑面积/) },
    { name: 'exclusiveArea', label: '专有建筑面积（㎡）', source: 'other', norm: AREA(/专有建筑面积/), optional: true },
    { name: 'sharedArea', label: '分摊建筑面积（㎡）', source: 'other', norm: AREA(/分摊建筑面积/), optional: true },
    { name: 'landUseUntil', label: '土地使用期限至', source: 'term', norm: (t) => v.date(/起(.+?)止/.exec(toHalfWidth(t))?.[1] ?? '') },
  ],
};

function unitNo(t: string): v.Normalised {
  const s = toHalfWidth(t).replace(/\s+/g, '').toUpperCase();
  return /^\d{12}[A-Z]{2}\d{5}[A-Z]\d{8}$/.test(s) ? { value: s, valid: true } : { value: s, valid: false, problem: '不动产单元号应为28位（12位数字、2位字母、5位数字、1位字母、8位数字）' };
}

const birthCertificate: DocTypeDef = {
  type: 'birth_certificate',
  keywords: [['出生医学证明', 3], ['新生儿姓名', 3], ['母亲姓名', 2], ['父亲姓名', 2], ['出生时间', 1], ['医疗机构名称', 1]],
  specs: [
    { field: 'certificateNo', labels: ['编号'] },
    { field: 'newbornName', labels: ['新生儿姓名'] },
    { field: 'newbornSex', labels: ['性别'] },
    { field: 'birthTime', labels: ['出生时间'] },
    { field: 'weeks', labels: ['出生孕周'] },
    { field: 'weight', labels: ['出生体重'], inline: true },
    { field: 'length', labels: ['出生身长'], inline: true },
    { field: 'birthPlace', labels: ['出生地点'] },
    { field: 'health', labels: ['健康状况'], inline: true },
    { field: 'institution', labels: ['医疗机构名称'] },
    { field: 'issuer', labels: ['签证机构'] },
  ],
  fields: [
    { name: 'certificateNo', label: '出生医学证明编号', source: 'certificateNo', norm: birthCertificateNo, pattern: /[A-Z]\d{9}/ },
    { name: 'newbornName', label: '新生儿姓名', source: 'newbornName', norm: v.personName },
    { name: 'newbornSex', label: '新生儿性别', source: 'newbornSex', norm: v.sex },
    { name: 'birthTime', label: '出生时间', source: 'birthTime', norm: v.dateTime },
    { name: 'birthPlace', label: '出生地点', source: 'birthPlace', norm: text },
    { name: 'institution', label: '医疗机构名称', source: 'institution', norm: text },
  ],
};

function birthCertificateNo(t: string): v.Normalised {
  const s = toHalfWidth(t).replace(/\s+/g, '').toUpperCase();
  return /^[A-Z]\d{9}$/.test(s) ? { value: s, valid: true } : { value: s, valid: false, problem: '出生医学证明编号应为1位字母加9位数字' };
}

/** The parents' blocks of a birth certificate, read separately (both carry 姓名 … 身份证件号码). */
export const PARENT_SPECS = (who: 'mother' | 'father'): { specs: LabelSpec[]; fields: FieldDef[] } => {
  const zh = who === 'mother' ? '母亲' : '父亲';
  return {
    specs: [
      { field: `${who}Name`, labels: [`${zh}姓名`] },
      { field: `${who}Age`, labels: ['年龄'] },
      { field: `${who}Nationality`, labels: ['国籍'] },
      { field: `${who}Ethnicity`, labels: ['民族'] },
      { field: `${who}Address`, labels: ['住址'] },
      { field: `${who}IdNumber`, labels: ['有效身份证件号码', '身份证件号码', '身份证号码'] },
    ],
    fields: [
      { name: `${who}Name`, label: `${zh}姓名`, source: `${who}Name`, norm: v.personName },
      { name: `${who}IdNumber`, label: `${zh}身份证件号码`, source: `${who}IdNumber`, norm: v.idNumber, pattern: ID_PATTERN, checksum: true },
    ],
  };
};

export const DOC_TYPE_DEFS: Record<DocType, DocTypeDef> = {
  idcard_front: idcardFront,
  idcard_back: idcardBack,
  business_license: businessLicense,
  property_certificate: propertyCertificate,
  birth_certificate: birthCertificate,
};
