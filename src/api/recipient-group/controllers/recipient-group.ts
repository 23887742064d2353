import { factories } from '@strapi/strapi';

export default factories.createCoreController('api::recipient-group.recipient-group');
