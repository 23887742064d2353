/**
 * Secrets rule: development and tests get working defaults so that a fresh clone starts without a `.env`;
 * production refuses to start while any secret is missing or still one of these development defaults, and the
 * error names the variable to set.
 */
export const DEVELOPMENT_SECRETS = {
  APP_KEYS: 'dev-app-key-1-change-me,dev-app-key-2-change-me',
  API_TOKEN_SALT: 'dev-api-token-salt-change-me',
  ADMIN_JWT_SECRET: 'dev-admin-jwt-secret-change-me',
  TRANSFER_TOKEN_SALT: 'dev-transfer-token-salt-change-me',
  JWT_SECRET: 'dev-users-permissions-jwt-secret-change-me',
  ENCRYPTION_KEY: 'dev-encryption-key-change-me',
} as const;

export type SecretName = keyof typeof DEVELOPMENT_SECRETS;

export class MissingSecretError extends Error {
  constructor(readonly variable: SecretName, reason: 'missing' | 'default') {
    super(
      reason === 'missing'
        ? `${variable} is not set. Production needs its own secret: set ${variable} in the environment (see .env.example; generate one with \`openssl rand -base64 32\`).`
        : `${variable} still has the development default. Production needs its own secret: set ${variable} in the environment (see .env.example; generate one with \`openssl rand -base64 32\`).`,
    );
    this.name = 'MissingSecretError';
  }
}

/** The value to use for a secret, or a MissingSecretError in production when it is missing or the default. */
export function resolveSecret(name: SecretName, value: string | undefined, nodeEnv: string | undefined): string {
  const given = value === undefined ? '' : value.trim();
  if (nodeEnv === 'production') {
    if (given === '') throw new MissingSecretError(name, 'missing');
    const defaults = DEVELOPMENT_SECRETS[name].split(',');
    if (given.split(',').some((part) => defaults.includes(part.trim()))) throw new MissingSecretError(name, 'default');
    return given;
  }
  return given === '' ? DEVELOPMENT_SECRETS[name] : given;
}

export function secret(name: SecretName): string {
  return resolveSecret(name, process.env[name], process.env.NODE_ENV);
}

export function secretList(name: SecretName): string[] {
  return secret(name)
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
}
