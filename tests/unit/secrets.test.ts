import { DEVELOPMENT_SECRETS, MissingSecretError, resolveSecret } from '../../src/config/secrets';

test('development and tests get working defaults', () => {
  expect(resolveSecret('APP_KEYS', undefined, 'development')).toBe(DEVELOPMENT_SECRETS.APP_KEYS);
  expect(resolveSecret('JWT_SECRET', '', undefined)).toBe(DEVELOPMENT_SECRETS.JWT_SECRET);
  expect(resolveSecret('JWT_SECRET', 'mine', 'test')).toBe('mine');
});

test.each(Object.keys(DEVELOPMENT_SECRETS) as (keyof typeof DEVELOPMENT_SECRETS)[])(
  'production refuses a missing or default %s and names it',
  (name) => {
    expect(() => resolveSecret(name, undefined, 'production')).toThrow(MissingSecretError);
    expect(() => resolveSecret(name, '  ', 'production')).toThrow(new RegExp(`${name} is not set`));
    expect(() => resolveSecret(name, DEVELOPMENT_SECRETS[name], 'production')).toThrow(
      new RegExp(`${name} still has the development default`),
    );
    expect(resolveSecret(name, 'a-real-secret', 'production')).toBe('a-real-secret');
  },
);

test('production refuses APP_KEYS that still contain one development key', () => {
  expect(() => resolveSecret('APP_KEYS', 'real-key,dev-app-key-2-change-me', 'production')).toThrow(/APP_KEYS/);
});
