import { createHmac, timingSafeEqual } from 'crypto';
import type { Core } from '@strapi/strapi';
import { ISSUE_CSS, issueBodyHtml, issueDocumentHtml } from '../domain/issue-html';
import type { IssueRecord } from '../domain/record';
import { issueDocx } from '../export/issue-docx';
import { recordDownload } from './audit-reads';
import { BUSY_RETRY_AFTER_SECONDS, htmlToPdf, PdfBusyError, PdfUnavailableError } from './pdf';
import { addQueryFields } from './graphql-query';
import { buildRecord, findRecord, issueKeyArgs, recordKeyOf, type RecordKey } from './record';

/**
 * The issue as the office files and forwards it: PDF (the printable HTML printed by the shared Chromium) and Word
 * (.docx), for a caller who may read the issue; the editors' preview of a draft in the admin; the print stylesheet and
 * the rendered issue for front ends.
 */

export type ExportFormat = 'pdf' | 'docx';
const TYPES: Record<ExportFormat, string> = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
};

/** 上街信息-2020-第14期.pdf */
export function exportFileName(record: IssueRecord, format: ExportFormat): string {
  return `${record.publication}-${record.year}-${record.labels.number ?? record.documentId}.${format}`;
}

export async function renderExport(record: IssueRecord, format: ExportFormat): Promise<Buffer> {
  return format === 'pdf' ? htmlToPdf(issueDocumentHtml(record)) : issueDocx(record);
}

type ExportContext = {
  vary: (field: string) => void;
  status: number;
  body: unknown;
  type: string;
  set: (name: string, value: string) => void;
  notFound: (message: string) => unknown;
  throw: (status: number, message: string) => never;
};

/** Answers GET /api/bulletin/:publication/:year/:number/(pdf|docx): the caller's row scope applies (404 otherwise). */
export async function sendExport(
  strapi: Core.Strapi,
  ctx: ExportContext,
  key: RecordKey,
  format: ExportFormat,
): Promise<unknown> {
  const record = await findRecord(strapi, key);
  if (record === null) return ctx.notFound('没有这一期，或这一期没有发给您');
  ctx.vary('Authorization');
  await sendIssueFile(strapi, ctx, record, format, 'signed-off');
  return undefined;
}

/**
 * 503 in Strapi's error shape, with its message (a thrown 5xx would have it replaced by "Service Unavailable"),
 * no-store.
 */
function unavailable(ctx: Pick<ExportContext, 'status' | 'body' | 'set'>, message: string): void {
  ctx.status = 503;
  ctx.set('Cache-Control', 'no-store');
  ctx.body = { data: null, error: { status: 503, name: 'ServiceUnavailableError', message, details: {} } };
}

/**
 * Renders an issue as PDF or Word and answers with it as a download: a signed-off issue, or a draft for the leader's
 * paper review (草稿-… and never stored by a cache). 503 with a message when the server has no Chromium for PDF, and
 * 503 with Retry-After when too many PDFs are being made at once (src/strapi/pdf.ts).
 */
export async function sendIssueFile(
  strapi: Core.Strapi,
  ctx: Pick<ExportContext, 'type' | 'body' | 'set' | 'status'>,
  record: IssueRecord,
  format: ExportFormat,
  kind: 'signed-off' | 'draft',
): Promise<void> {
  let file: Buffer;
  try {
    file = await renderExport(record, format);
  } catch (error) {
    if (error instanceof PdfUnavailableError) {
      strapi.log.error(error.message);
      unavailable(ctx, 'PDF 导出暂不可用：服务器未安装 Chromium');
      return;
    }
    if (error instanceof PdfBusyError) {
      strapi.log.warn(error.message);
      ctx.set('Retry-After', String(BUSY_RETRY_AFTER_SECONDS));
      unavailable(ctx, `PDF 导出繁忙：正在生成的文件过多，请 ${BUSY_RETRY_AFTER_SECONDS} 秒后重试`);
      return;
    }
    throw error;
  }
  const name = `${kind === 'draft' ? '草稿-' : ''}${exportFileName(record, format)}`;
  ctx.type = TYPES[format];
  ctx.set(
    'Content-Disposition',
    `attachment; filename="${encodeURIComponent(name)}"; filename*=UTF-8''${encodeURIComponent(name)}`,
  );
  ctx.set('Cache-Control', kind === 'draft' ? 'private, no-store' : 'private, no-cache');
  ctx.body = file;
  await recordDownload(strapi, record, format, kind);
}

// ---- the editors' preview ------------------------------------------------------------------------------------------

const PREVIEW_LIFETIME_MS = 30 * 60 * 1000;

function previewKey(strapi: Core.Strapi): string {
  return `bulletin-preview:${String(strapi.config.get('admin.auth.secret'))}`;
}

function signature(strapi: Core.Strapi, documentId: string, status: string, expires: number): string {
  return createHmac('sha256', previewKey(strapi)).update(`${documentId}\n${status}\n${expires}`).digest('base64url');
}

/**
 * The preview address Strapi's admin opens in its side frame (config/admin.ts `preview.config.handler`). The handler
 * runs inside the admin's authenticated request, so only admin users obtain an address; it carries a signature (made
 * with the admin's secret) that expires after 30 minutes, because a frame cannot send the admin's token.
 */
export function previewUrl(
  strapi: Core.Strapi,
  uid: string,
  documentId: string,
  status: string | undefined,
  now = Date.now(),
): string | null {
  if (uid !== 'api::issue.issue') return null;
  const wanted = status === 'published' ? 'published' : 'draft';
  const expires = now + PREVIEW_LIFETIME_MS;
  const query = new URLSearchParams({
    status: wanted,
    expires: String(expires),
    signature: signature(strapi, documentId, wanted, expires),
  });
  return `/bulletin-preview/${encodeURIComponent(documentId)}?${query.toString()}`;
}

function validPreview(
  strapi: Core.Strapi,
  documentId: string,
  query: Record<string, unknown>,
  now = Date.now(),
): 'draft' | 'published' | null {
  const { status, expires, signature: given } = query;
  if ((status !== 'draft' && status !== 'published') || typeof expires !== 'string' || typeof given !== 'string')
    return null;
  const until = Number(expires);
  if (!Number.isInteger(until) || until < now) return null;
  const expected = Buffer.from(signature(strapi, documentId, status, until));
  const actual = Buffer.from(given);
  return expected.length === actual.length && timingSafeEqual(expected, actual) ? status : null;
}

type RouteContext = {
  params: Record<string, string>;
  query: Record<string, unknown>;
  status: number;
  type: string;
  body: unknown;
  set: (name: string, value: string) => void;
};

export function registerExportRoutes(strapi: Core.Strapi): void {
  strapi.server.routes([
    {
      method: 'GET',
      path: '/bulletin-preview/:documentId',
      handler: async (ctx: RouteContext) => {
        const status = validPreview(strapi, ctx.params.documentId, ctx.query);
        ctx.set('Cache-Control', 'no-store');
        ctx.type = 'text/html; charset=utf-8';
        if (status === null) {
          ctx.status = 403;
          ctx.body =
            '<!doctype html><meta charset="utf-8"><title>预览已失效</title><p>预览链接无效或已过期，请在后台重新打开预览。</p>';
          return;
        }
        const built = await buildRecord(strapi, ctx.params.documentId, status);
        if (built === null) {
          ctx.status = 404;
          ctx.body = '<!doctype html><meta charset="utf-8"><title>没有这一期</title><p>没有这一期。</p>';
          return;
        }
        ctx.body = issueDocumentHtml(built.record, {
          title: `预览：${built.record.publication} ${built.record.labels.issueLine}`,
        });
      },
      config: { auth: false },
    },
    {
      method: 'GET',
      path: '/bulletin-assets/issue.css',
      handler: (ctx: RouteContext) => {
        ctx.type = 'text/css; charset=utf-8';
        ctx.set('Cache-Control', 'public, max-age=3600');
        ctx.body = ISSUE_CSS;
      },
      config: { auth: false },
    },
  ] as never);
}

/** GraphQL: `bulletinIssueHtml(…)` — the issue rendered as it prints (an HTML fragment, all text escaped). */
export function registerIssueHtmlInGraphQL(strapi: Core.Strapi): void {
  addQueryFields(strapi, (nexus) => ({
    fields: {
      bulletinIssueHtml: {
        type: 'String',
        description:
          'A signed-off issue rendered as it prints (HTML fragment; style it with /bulletin-assets/issue.css).',
        args: issueKeyArgs(nexus),
        resolve: async (_parent, args: Parameters<typeof recordKeyOf>[0]) => {
          const record = await findRecord(strapi, recordKeyOf(args));
          return record === null ? null : issueBodyHtml(record);
        },
        scope: 'api::issue.issue.findOne',
      },
    },
  }));
}
