import type { Core } from '@strapi/strapi';
import { calendarDateIn } from '../domain/dates';
import type { NumberingContext } from '../domain/numbering';

type PublicationSettings = { printsTotalNumber?: boolean };

/** The office's bulletin settings (config/bulletin.ts) as the domain needs them, with today's date in its zone. */
export function numberingContext(strapi: Core.Strapi, now: Date = new Date()): NumberingContext {
  const timeZone = strapi.config.get<string>('bulletin.timeZone', 'Asia/Shanghai');
  const publications = strapi.config.get<Record<string, PublicationSettings>>('bulletin.publications', {});
  return {
    today: calendarDateIn(timeZone, now),
    defaultPublication: strapi.config.get<string>('bulletin.defaultPublication', '上街信息'),
    printsTotalNumber: (publication) => publications[publication]?.printsTotalNumber === true,
  };
}

export function printsTotalNumber(strapi: Core.Strapi, publication: string): boolean {
  return numberingContext(strapi).printsTotalNumber(publication);
}
