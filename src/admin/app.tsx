import type { StrapiApp } from '@strapi/strapi/admin';

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
  register(_app: StrapiApp) {
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
