import { errors } from '@strapi/utils';
import type { Violation } from '../domain/attribution';

/** Throws one ValidationError (400 / GraphQL BAD_USER_INPUT) carrying every violation, each naming its field. */
export function throwIfViolations(violations: readonly Violation[]): void {
  if (violations.length > 0) throw validationError(violations);
}

/** The ValidationError for these violations, for `throw` where the compiler should see that nothing follows. */
export function validationError(violations: readonly Violation[]): InstanceType<typeof errors.ValidationError> {
  const message = violations.map((violation) => violation.message).join('；');
  return new errors.ValidationError(message, {
    errors: violations.map((violation) => ({
      path: violation.path,
      message: violation.message,
      name: 'ValidationError',
      value: null,
    })),
  });
}
