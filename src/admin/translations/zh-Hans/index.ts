import { enumerationMessages } from '../../../domain/admin-labels';
import admin from './admin';
import audit from './audit';
import contentManager from './content-manager';
import contentReleases from './content-releases';
import contentTypeBuilder from './content-type-builder';
import corrections from './corrections';
import desk from './desk';
import accounts from './accounts';
import email from './email';
import i18n from './i18n';
import reviewWorkflows from './review-workflows';
import signOff from './sign-off';
import unlisted from './unlisted';
import upload from './upload';
import usersPermissions from './users-permissions';

/**
 * What this app adds to Strapi's zh-Hans, by where the ids come from. Strapi merges config.translations over its own
 * and its plugins' messages, so each of these wins over Strapi's.
 */
export const ZH_HANS_PARTS = {
  admin,
  'content-manager': contentManager,
  'users-permissions': usersPermissions,
  upload,
  i18n,
  email,
  'content-releases': contentReleases,
  'review-workflows': reviewWorkflows,
  'content-type-builder': contentTypeBuilder,
  unlisted,
  corrections,
  /** The compose desk (编排): the app's own ids. */
  desk,
  /** 操作日志 and the 办理记录 panels. */
  audit,
  /** The 账号 page: the app's own ids. */
  accounts,
  /** Issues are the only draft & publish type: publishing is 签发 (last, so it wins). */
  'sign-off': signOff,
  /** Enumeration options (edit form, list filters) are rendered as formatMessage({ id: value }). */
  enumerations: enumerationMessages(),
} as const satisfies Record<string, Record<string, string>>;

/** Everything the admin needs, as one message map for config.translations['zh-Hans']. */
export const zhHans: Record<string, string> = Object.fromEntries(
  Object.values(ZH_HANS_PARTS).flatMap((part) => Object.entries(part)),
);
