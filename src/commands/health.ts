import { formatDate, t } from '../i18n/index.js';
import { utilityCommand } from './utility.js';

export const healthCommand = utilityCommand({
  name: 'health',
  path: '/health',
  describe: 'cli.health.describe',
  needsKey: false,
  show: (body, lang) => {
    // The API's own words (`healthy`, `production`) are its values, shown as it gives them.
    const status = t(lang, 'cli.health.line', { status: body.status ?? 'ok' });
    const at = Number.isNaN(Date.parse(body.timestamp)) ? '' : formatDate(lang, new Date(body.timestamp), true);
    return `${status}${body.environment ? ` (${body.environment})` : ''}${at ? t(lang, 'cli.health.at', { time: at }) : ''}`;
  },
});
