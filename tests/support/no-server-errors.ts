import { serverErrors } from './server-errors';

afterEach(() => {
  const found = serverErrors.splice(0, serverErrors.length);
  expect(found).toEqual([]);
});
