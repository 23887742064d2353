import type { StrapiApp } from '@strapi/strapi/admin';

/** The menu icon of 信息采用统计: a bar chart (inline, no icon package needed). */
const ChartIcon = () => (
  <svg width="16" height="16" viewBox="0 0 32 32" fill="currentColor" aria-hidden="true">
    <path d="M4 4h2v22h22v2H4V4Zm6 12h4v8h-4v-8Zm6-6h4v14h-4V10Zm6 4h4v10h-4V14Z" />
  </svg>
);

/** The admin's language choice, as Strapi stores it in the browser. */
const LANGUAGE_KEY = 'strapi-admin-language';

export default {
  config: {
    // Chinese first; English stays selectable on each editor's profile page.
    locales: ['zh-Hans'],
    // The office network is often offline: no release check against GitHub, no video tutorials.
    notifications: { releases: false },
    tutorials: false,
  },
  register(app: StrapiApp) {
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
    } catch {
      // Storage blocked (private mode): Strapi falls back to English; nothing to do.
    }
  },
  bootstrap(_app: StrapiApp) {},
};
