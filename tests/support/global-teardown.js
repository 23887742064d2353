// Removes the run's secrets folder (tests/support/global-setup.js).
const fs = require('fs');

module.exports = async () => {
  const secretsDir = process.env.BULLETIN_TEST_SECRETS_DIR;
  if (secretsDir !== undefined && secretsDir !== '') fs.rmSync(secretsDir, { recursive: true, force: true });
};
