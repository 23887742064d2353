import type { Core } from '@strapi/strapi';
import { decodeBulletinBytes, parseBulletin, type ParsedIssue } from '../domain/bulletin-parser';
import { htmlToText } from '../domain/html-text';
import { issueTitleLabel } from '../domain/labels';
import { normalizeName, printedCredit } from '../domain/attribution';

/**
 * The back-catalogue importer: past issues from plain text (.txt, UTF-8 or GB18030), Word (.docx, text extracted
 * with mammoth) or a saved web page (.html / .htm, its visible text) become issues with their printed numbers, items in order with their attributions, and recipient lines.
 * Units and recipient groups are matched by name — width, spaces and traditional/simplified script normalised, and
 * reported when that was needed. A unit no name matches is not made up behind the office's back: the issue that names
 * it is skipped, the report naming each such unit and the line that printed it, unless the import was told to create
 * them (`createUnits`, `--create-units`: created as units of kind 其他, reported). A recipient group not known yet is
 * created (reported). One transaction per issue: a file that fails leaves nothing behind. An issue already present
 * (same publication, edition, year, number) is left as it is.
 */

const ISSUE = 'api::issue.issue';
const ITEM = 'api::item.item';
const UNIT = 'api::unit.unit';
const GROUP = 'api::recipient-group.recipient-group';
const LINES = ['reportTo', 'sendTo', 'distributeTo', 'copyTo'] as const;

export type ImportOptions = { publish: boolean; publication?: string; createUnits?: boolean };
export type ImportOutcome =
  | {
      file: string;
      status: 'imported';
      label: string;
      items: number;
      created: string[];
      normalised: string[];
      warnings: string[];
      published: boolean;
    }
  | { file: string; status: 'skipped'; label: string; reason: string; unknownUnits?: string[] }
  | { file: string; status: 'failed'; errors: string[] };

/** The text of a file: Word through mammoth, a web page's visible text, anything else decoded as UTF-8 or GB18030. */
export async function fileText(name: string, bytes: Buffer): Promise<string> {
  if (/\.docx$/i.test(name)) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- mammoth is loaded on the first Word file only
    const mammoth = require('mammoth') as { extractRawText: (input: { buffer: Buffer }) => Promise<{ value: string }> };
    return (await mammoth.extractRawText({ buffer: bytes })).value;
  }
  if (/\.html?$/i.test(name)) return htmlToText(decodeBulletinBytes(bytes));
  return decodeBulletinBytes(bytes);
}

export type PreviewOutcome =
  | { file: string; status: 'parsed'; label: string; issue: ParsedIssue; warnings: string[] }
  | { file: string; status: 'failed'; errors: string[] };

/**
 * The dry run of one file: read and parsed, nothing written. Never throws, whatever the bytes: an unreadable file
 * or a text the parser refuses is a 'failed' outcome naming the file, the line and what was expected there.
 */
export async function previewFile(
  file: string,
  bytes: Buffer,
  options: { publication?: string } = {},
): Promise<PreviewOutcome> {
  let text: string;
  try {
    text = await fileText(file, bytes);
  } catch (error) {
    return { file, status: 'failed', errors: [`${file}: 无法读取：${messageOf(error)}`] };
  }
  const result = parseBulletin(text, { publication: options.publication });
  if (!result.ok)
    return { file, status: 'failed', errors: result.errors.map((error) => `${file}:${error.line}: ${error.message}`) };
  return {
    file,
    status: 'parsed',
    label: issueLabel(result.issue),
    issue: result.issue,
    warnings: result.warnings.map((warning) => `${file}: ${warning}`),
  };
}

let toSimplified: ((text: string) => string) | null = null;
/** The key names are matched by: as printed (normalizeName: width and spaces folded), then in simplified script. */
export function nameKey(name: string): string {
  if (toSimplified === null) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- opencc-js's dictionaries are large: loaded on first use only
    const OpenCC = require('opencc-js') as {
      Converter: (options: { from: string; to: string }) => (text: string) => string;
    };
    toSimplified = OpenCC.Converter({ from: 'tw', to: 'cn' });
  }
  return toSimplified(normalizeName(name));
}

const issueLabel = (issue: ParsedIssue): string =>
  issueTitleLabel(issue.publication, issue.year, issue.edition, issue.number);

type Named = { id: number; documentId: string; key: string; name: string };

class Catalogue {
  created: string[] = [];
  normalised: string[] = [];
  private units: Named[] = [];
  private groups: Named[] = [];

  constructor(private readonly strapi: Core.Strapi) {}

  async load(): Promise<void> {
    const units = (await this.strapi.db
      .query(UNIT)
      .findMany({ select: ['id', 'documentId', 'shortName', 'fullName'] })) as {
      id: number;
      documentId: string;
      shortName: string;
      fullName: string | null;
    }[];
    this.units = units.flatMap((unit) =>
      [unit.shortName, unit.fullName]
        .filter((name): name is string => typeof name === 'string' && name !== '')
        .map((name) => ({ id: unit.id, documentId: unit.documentId, key: nameKey(name), name })),
    );
    const groups = (await this.strapi.db.query(GROUP).findMany({ select: ['id', 'documentId', 'name'] })) as {
      id: number;
      documentId: string;
      name: string;
    }[];
    this.groups = groups.map((group) => ({ ...group, key: nameKey(group.name) }));
  }

  private match(list: Named[], name: string, kind: string): Named | null {
    const exact = list.find((entry) => entry.name === name);
    if (exact !== undefined) return exact;
    const key = nameKey(name);
    const close = list.find((entry) => entry.key === key);
    if (close !== undefined) this.normalised.push(`${kind}“${name}”按“${close.name}”匹配（已统一全半角、空格和繁简）`);
    return close ?? null;
  }

  /** Whether a unit of that name (as printed, or normalised) is known. */
  knowsUnit(name: string): boolean {
    const key = nameKey(name);
    return this.units.some((entry) => entry.name === name || entry.key === key);
  }

  /** The unit of that name; a unit not known yet is created and reported, with where it was printed. */
  async unit(name: string, fullName: string | null = null, where = ''): Promise<Named> {
    const found = this.match(this.units, name, '单位');
    if (found !== null) return found;
    const created = await this.strapi
      .documents(UNIT)
      .create({ data: { shortName: name, fullName, kind: 'other', active: true } as never });
    const entry = { id: created.id as number, documentId: created.documentId, key: nameKey(name), name };
    this.units.push(entry);
    this.created.push(`新建单位“${name}”${where}`);
    return entry;
  }

  async group(name: string): Promise<Named> {
    const found = this.match(this.groups, name, '发送范围');
    if (found !== null) return found;
    const created = await this.strapi.documents(GROUP).create({ data: { name } as never });
    const entry = { id: created.id as number, documentId: created.documentId, key: nameKey(name), name };
    this.groups.push(entry);
    this.created.push(`新建发送范围“${name}”`);
    return entry;
  }
}

const ISSUER_WHERE = '（编印单位）';
const creditWhere = (item: { line: number; headline: string }) => `（第 ${item.line} 行“${item.headline}”的署名）`;

/** Every unit an issue names, in print order: its issuing office, then each item's attribution, with where. */
function unitsNamed(parsed: ParsedIssue, issuerName: string | null): { name: string; where: string }[] {
  const named = issuerName === null ? [] : [{ name: issuerName, where: ISSUER_WHERE }];
  for (const item of parsed.items)
    for (const name of printedCredit(item.attribution, issuerName).units)
      named.push({ name, where: creditWhere(item) });
  return named;
}

/**
 * Writes one parsed issue in one transaction; an issue already present is skipped, and so is one that names a unit
 * not known (unless `createUnits`).
 */
export async function importParsed(
  strapi: Core.Strapi,
  file: string,
  parsed: ParsedIssue,
  warnings: string[],
  options: ImportOptions,
): Promise<ImportOutcome> {
  const label = issueLabel(parsed);
  if (parsed.number === null)
    return {
      file,
      status: 'failed',
      errors: [`${file}: ${label}: 没有期号，无法导入（专刊请在文本中写明“专刊第N期”）`],
    };
  const existing = await strapi.db.query(ISSUE).findOne({
    where: { publication: parsed.publication, edition: parsed.edition, year: parsed.year, number: parsed.number },
    select: ['id'],
  });
  if (existing !== null) return { file, status: 'skipped', label, reason: '已存在，未作改动' };

  const issuerName = parsed.issuers[0] ?? null;
  if (options.createUnits !== true) {
    const known = new Catalogue(strapi);
    await known.load();
    const unknown = unitsNamed(parsed, issuerName).filter((named) => !known.knowsUnit(named.name));
    if (unknown.length > 0) {
      const names = [...new Set(unknown.map((named) => named.name))];
      return {
        file,
        status: 'skipped',
        label,
        reason: `单位未知，未导入：${unknown.map((named) => `“${named.name}”${named.where}`).join('、')}。请先在后台“单位”中新建（名称与所印一致），或加 --create-units 新建为“其他”类单位`,
        unknownUnits: names,
      };
    }
  }

  const catalogue = new Catalogue(strapi);
  return strapi.db.transaction(async () => {
    await catalogue.load();
    const issuer = issuerName === null ? null : await catalogue.unit(issuerName, issuerName, ISSUER_WHERE);
    const lines: Record<string, { group: string }[]> = {};
    for (const line of LINES) {
      lines[line] = [];
      for (const name of parsed[line]) lines[line].push({ group: (await catalogue.group(name)).documentId });
    }
    const issue = await strapi.documents(ISSUE).create({
      data: {
        publication: parsed.publication,
        edition: parsed.edition,
        year: parsed.year,
        number: parsed.number,
        totalNumber: parsed.totalNumber,
        date: parsed.date,
        issuer: issuer?.documentId ?? null,
        columnTitle: parsed.columnTitle,
        columnInstallment: parsed.columnInstallment,
        editors: parsed.editors.join(' ') || null,
        reviewer: parsed.reviewer,
        signer: parsed.signer,
        printRun: parsed.printRun,
        ...lines,
      } as never,
    });
    let position = 0;
    for (const item of parsed.items) {
      position += 1;
      const credit = printedCredit(item.attribution, issuerName);
      const units: Named[] = [];
      for (const name of credit.units) units.push(await catalogue.unit(name, null, creditWhere(item)));
      await strapi.documents(ITEM).create({
        data: {
          headline: item.headline,
          body: item.body,
          section: item.section,
          units: units.map((unit) => unit.documentId),
          adoptionKind: credit.adoptionKind,
          state: 'adopted',
          issue: issue.documentId,
          position,
        } as never,
      });
    }
    if (options.publish) await strapi.documents(ISSUE).publish({ documentId: issue.documentId });
    return {
      file,
      status: 'imported' as const,
      label,
      items: parsed.items.length,
      created: catalogue.created,
      normalised: [...new Set(catalogue.normalised)],
      warnings,
      published: options.publish,
    };
  });
}

const messageOf = (error: unknown): string => {
  const details = (error as { details?: { errors?: { path?: string[]; message?: string }[] } }).details?.errors;
  const base = error instanceof Error ? error.message : String(error);
  return details !== undefined && details.length > 0
    ? details.map((detail) => `${(detail.path ?? []).join('.')}: ${detail.message}`).join('；')
    : base;
};

/** Reads, parses and imports one file; never throws: a failure is an outcome naming the file, line and expectation. */
export async function importFile(
  strapi: Core.Strapi,
  file: string,
  bytes: Buffer,
  options: ImportOptions,
): Promise<ImportOutcome> {
  let text: string;
  try {
    text = await fileText(file, bytes);
  } catch (error) {
    return { file, status: 'failed', errors: [`${file}: 无法读取：${messageOf(error)}`] };
  }
  const result = parseBulletin(text, { publication: options.publication });
  if (!result.ok)
    return { file, status: 'failed', errors: result.errors.map((error) => `${file}:${error.line}: ${error.message}`) };
  try {
    return await importParsed(
      strapi,
      file,
      result.issue,
      result.warnings.map((warning) => `${file}: ${warning}`),
      options,
    );
  } catch (error) {
    return { file, status: 'failed', errors: [`${file}: ${issueLabel(result.issue)}: ${messageOf(error)}`] };
  }
}
