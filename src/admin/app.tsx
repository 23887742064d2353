import type { StrapiApp } from '@strapi/strapi/admin';
import { EDIT_LAYOUT_HOOK, LIST_COLUMNS_HOOK, presentEditLayout, presentListColumns } from './presentation';
import { zhHans } from './translations/zh-Hans';
import { localizeHardCodedStrings } from './hard-coded';
import { DeskPanel } from './desk-panel';
import { AuditPanel } from './audit-panel';

/** The menu icon of 信息采用统计: a bar chart (inline, no icon package needed). */
const ChartIcon = () => (
  <svg width="16" height="16" viewBox="0 0 32 32" fill="currentColor" aria-hidden="true">
    <path d="M4 4h2v22h22v2H4V4Zm6 12h4v8h-4v-8Zm6-6h4v14h-4V10Zm6 4h4v10h-4V14Z" />
  </svg>
);

/** The menu icon of 编排 (the compose desk): a stack of pages. */
const DeskIcon = () => (
  <svg width="16" height="16" viewBox="0 0 32 32" fill="currentColor" aria-hidden="true">
    <path d="M8 4h16v2H8V4Zm-2 4h20v2H6V8Zm-2 4h24v16H4V12Zm2 2v12h20V14H6Zm3 2h14v2H9v-2Zm0 4h10v2H9v-2Z" />
  </svg>
);

/** The menu icon of 操作日志: a list with a clock. */
const LogIcon = () => (
  <svg width="16" height="16" viewBox="0 0 32 32" fill="currentColor" aria-hidden="true">
    <path d="M4 6h16v2H4V6Zm0 6h12v2H4v-2Zm0 6h8v2H4v-2Zm18-4a7 7 0 1 1 0 14 7 7 0 0 1 0-14Zm0 2a5 5 0 1 0 0 10 5 5 0 0 0 0-10Zm-1 1h2v3.6l2.4 2.4-1.4 1.4-3-3V17Z" />
  </svg>
);

/** The menu icon of 账号: two people. */
const PeopleIcon = () => (
  <svg width="16" height="16" viewBox="0 0 32 32" fill="currentColor" aria-hidden="true">
    <path d="M11 6a5 5 0 1 1 0 10 5 5 0 0 1 0-10Zm0 2a3 3 0 1 0 0 6 3 3 0 0 0 0-6Zm11 0a4 4 0 1 1 0 8 4 4 0 0 1 0-8Zm0 2a2 2 0 1 0 0 4 2 2 0 0 0 0-4ZM2 26c0-4.4 4-8 9-8s9 3.6 9 8h-2c0-3.3-3.1-6-7-6s-7 2.7-7 6H2Zm20-8c4.4 0 8 3.1 8 7h-2c0-2.8-2.7-5-6-5v-2Z" />
  </svg>
);

/** The admin's language choice, as Strapi stores it in the browser. */
const LANGUAGE_KEY = 'strapi-admin-language';

/**
 * Browser state Strapi keeps for itself, set once unless already there (each user may still change it):
 * - the guided tour (Strapi 5.54 has no setting for it; it only runs in development builds): off;
 * - the "new Media Library" banner, a link to a blog post on strapi.io: dismissed. Its key is scoped by the project
 *   uuid from /admin/init, which is `false` here (telemetryDisabled in package.json) and undefined while loading.
 */
const PRESET_BROWSER_STATE: Record<string, string> = {
  STRAPI_GUIDED_TOUR: JSON.stringify({ enabled: false }),
  'STRAPI_MEDIA_LIBRARY_BANNER_DISMISSED_FOR_false:false': 'true',
  'STRAPI_MEDIA_LIBRARY_BANNER_DISMISSED_FOR_false:undefined': 'true',
  'STRAPI_MEDIA_LIBRARY_BANNER_DISMISSED_FOR_true:false': 'true',
  'STRAPI_MEDIA_LIBRARY_BANNER_DISMISSED_FOR_true:undefined': 'true',
};

export default {
  config: {
    // Chinese first; English stays selectable on each editor's profile page.
    locales: ['zh-Hans'],
    // The office network is often offline: no release check against GitHub, no video tutorials.
    notifications: { releases: false },
    tutorials: false,
    // Strapi 5.54's zh-Hans misses ~1,150 strings (and content-manager's are filed under a doubled prefix): ours
    // complete it, plus the Chinese labels of enumeration values (src/domain/admin-labels.ts).
    translations: { 'zh-Hans': zhHans },
  },
  register(app: StrapiApp) {
    // The compose desk (编排): editors and signers only (the desk's routes refuse unit staff; so does the page).
    app.addMenuLink({
      to: 'bulletin-desk',
      icon: DeskIcon,
      intlLabel: { id: 'bulletin.desk.menu', defaultMessage: '编排' },
      Component: () => import('./pages/desk'),
      permissions: [{ action: 'plugin::content-manager.explorer.read', subject: 'api::issue.issue' }],
    });
    // 操作日志: editors, signers and super admins (the routes refuse unit staff; security entries: super admins only).
    app.addMenuLink({
      to: 'bulletin-audit',
      icon: LogIcon,
      intlLabel: { id: 'bulletin.audit.menu', defaultMessage: '操作日志' },
      Component: () => import('./pages/audit-log'),
      permissions: [{ action: 'plugin::content-manager.explorer.read', subject: 'api::issue.issue' }],
    });
    // 账号: editors and super administrators (the routes refuse everyone else, and so does the page's first request).
    app.addMenuLink({
      to: 'bulletin-accounts',
      icon: PeopleIcon,
      intlLabel: { id: 'bulletin.accounts.menu', defaultMessage: '账号' },
      Component: () => import('./pages/accounts'),
      permissions: [{ action: 'plugin::content-manager.explorer.update', subject: 'api::issue.issue' }],
    });
    app.addMenuLink({
      to: 'bulletin-statistics',
      icon: ChartIcon,
      intlLabel: { id: 'bulletin.statistics.menu', defaultMessage: '信息采用统计' },
      Component: () => import('./pages/statistics'),
      permissions: [],
    });
    // Strapi 5.54 has no default-language setting: it reads the browser's stored choice, then the admin user's
    // preferred language after login. A browser that never chose one starts in Chinese.
    try {
      if (window.localStorage.getItem(LANGUAGE_KEY) === null) {
        window.localStorage.setItem(LANGUAGE_KEY, 'zh-Hans');
      }
      for (const [key, value] of Object.entries(PRESET_BROWSER_STATE)) {
        if (window.localStorage.getItem(key) === null) window.localStorage.setItem(key, value);
      }
    } catch {
      // Storage blocked (private mode): Strapi falls back to English; nothing to do.
    }
  },
  bootstrap(app: StrapiApp) {
    // List cells show enumeration values in Chinese and years as 2020; the form shows the year as 2020 too.
    app.registerHook(LIST_COLUMNS_HOOK, presentListColumns);
    app.registerHook(EDIT_LAYOUT_HOOK, presentEditLayout);
    // The few strings Strapi writes without a translation id (./hard-coded.ts).
    localizeHardCodedStrings();
    // Each issue's edit view links to the compose desk; items and issues show their history (办理记录).
    const contentManager = app.getPlugin('content-manager') as unknown as {
      apis: { addEditViewSidePanel: (panels: unknown[]) => void };
    };
    contentManager.apis.addEditViewSidePanel([DeskPanel, AuditPanel]);
  },
};
