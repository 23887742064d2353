import { factories } from '@strapi/strapi';

export default factories.createCoreService('api::recipient-group.recipient-group');
