import { winston, formats } from '@strapi/logger';

/**
 * Console logging of LOG_LEVEL and everything more severe (default `http`: one line per request, and every info,
 * warning and error); tests run at `warn`. A threshold, not a filter: an error always prints.
 */
const level = process.env.LOG_LEVEL ?? 'http';

export default {
  transports: [
    new winston.transports.Console({
      level,
      format: formats.prettyPrint({ timestamps: 'YYYY-MM-DD HH:mm:ss.SSS' }),
    }),
  ],
};
