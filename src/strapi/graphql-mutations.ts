import type { Core } from '@strapi/strapi';

/**
 * GraphQL mutations no API role needs are not in the schema: readers write nothing, contributors only create and
 * update items; issues, units and groups are the office's, edited in the admin (and over REST with an API token).
 */
export function disableUnusedMutations(strapi: Core.Strapi): void {
  const extension = strapi.plugin('graphql').service('extension');
  for (const uid of ['api::issue.issue', 'api::unit.unit', 'api::recipient-group.recipient-group']) {
    extension.shadowCRUD(uid).disableMutations();
  }
  extension.shadowCRUD('api::item.item').disableAction('delete');
}
