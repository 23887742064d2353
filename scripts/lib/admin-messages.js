// Strapi's admin messages as the admin assembles them, read from node_modules: @strapi/admin's own file, then each
// plugin's file with its keys prefixed by the plugin id (prefixPluginTranslations), later files winning. Used by the
// unit tests of our zh-Hans (tests/unit/admin-translations.test.ts) and by scripts/admin-translations.js.
const fs = require('fs');
const path = require('path');

/** Plugin id (the key prefix) → package under @strapi. */
const PLUGINS = {
  'content-manager': 'content-manager',
  'users-permissions': 'plugin-users-permissions',
  upload: 'upload',
  i18n: 'i18n',
  email: 'email',
  'content-releases': 'content-releases',
  'review-workflows': 'review-workflows',
  'content-type-builder': 'content-type-builder',
  graphql: 'plugin-graphql',
};

const packageDir = (name) => path.dirname(require.resolve(`@strapi/${name}/package.json`));

function readMessages(file) {
  if (!fs.existsSync(file)) return {};
  const loaded = require(file);
  return loaded && typeof loaded.default === 'object' ? loaded.default : loaded;
}

/** All of Strapi's messages for one locale ('en', 'zh-Hans'), keyed as formatMessage sees them. */
function strapiMessages(locale) {
  const messages = {
    ...readMessages(path.join(packageDir('admin'), 'dist/admin/admin/src/translations', `${locale}.json.js`)),
  };
  for (const [id, pkg] of Object.entries(PLUGINS)) {
    const own = readMessages(path.join(packageDir(pkg), 'dist/admin/translations', `${locale}.json.js`));
    for (const [key, value] of Object.entries(own)) messages[`${id}.${key}`] = value;
  }
  return messages;
}

/** The namespace of a key: the plugin id it starts with, or 'admin'. */
function namespaceOf(key) {
  return Object.keys(PLUGINS).find((id) => key.startsWith(`${id}.`)) ?? 'admin';
}

module.exports = { PLUGINS, strapiMessages, namespaceOf };
