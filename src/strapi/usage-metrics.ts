import type { Core } from '@strapi/strapi';

/**
 * Strapi's media library schedules a weekly usage report for Strapi's telemetry (the job `uploadWeekly`, first run
 * 15 seconds after the first start, then weekly at that minute). Telemetry is off here (package.json
 * `strapi.telemetryDisabled`) and an intranet has nowhere to send it, yet the job would still scan the media library
 * and rewrite its entry in the core store each week: a write nobody asked for, which a backup taken a moment before
 * no longer matches. It is removed at start.
 */
export function removeUsageMetricsJob(strapi: Core.Strapi): void {
  strapi.cron.remove('uploadWeekly');
}
