import { factories } from '@strapi/strapi';

export default factories.createCoreRouter('api::recipient-group.recipient-group');
