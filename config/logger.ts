import { winston, formats } from '@strapi/logger';

/** Console logging at LOG_LEVEL (default `http`: one line per request); tests run at `warn`. */
const level = process.env.LOG_LEVEL ?? 'http';

export default {
  transports: [
    new winston.transports.Console({
      level,
      format: winston.format.combine(
        formats.levelFilter(level),
        formats.prettyPrint({ timestamps: 'YYYY-MM-DD HH:mm:ss.SSS' }),
      ),
    }),
  ],
};
