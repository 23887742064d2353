import type { Core } from '@strapi/strapi';
import {
  dataViolations,
  filterViolations,
  pagingViolations,
  rulesFromSchemas,
  textProblem,
  type Rules,
} from '../domain/validity';
import { throwIfViolations } from './errors';

/**
 * Input checked against the content types before any query is built (src/domain/validity.ts), on the one path every
 * write and read takes: the Document Service. REST, GraphQL, the admin, the importer and scripts all pass here first.
 */

let rules: Rules | null = null;

/** The rules of every content type and component, derived once from Strapi's loaded schemas. */
function loadedRules(strapi: Core.Strapi): Rules {
  if (rules === null) {
    const schemas = {
      ...(strapi.contentTypes as unknown as Record<string, { attributes: Record<string, object> }>),
      ...(strapi.components as unknown as Record<string, { attributes: Record<string, object> }>),
    };
    rules = rulesFromSchemas(schemas);
  }
  return rules;
}

const WRITES = new Set(['create', 'update', 'clone']);

type Params = {
  documentId?: unknown;
  data?: unknown;
  filters?: unknown;
  pagination?: unknown;
  start?: unknown;
  limit?: unknown;
};

export function validateDocumentParams(strapi: Core.Strapi, uid: string, action: string, params: Params): void {
  const all = loadedRules(strapi);
  if (typeof params.documentId === 'string') {
    const problem = textProblem(params.documentId);
    if (problem !== null) throwIfViolations([{ path: ['documentId'], message: `documentId ${problem}` }]);
  }
  if (WRITES.has(action) && params.data !== undefined) throwIfViolations(dataViolations(all, uid, params.data));
  throwIfViolations([...filterViolations(all, uid, params.filters), ...pagingViolations(params)]);
}
