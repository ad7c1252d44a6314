import { t } from '../i18n/index.js';
import { utilityCommand } from './utility.js';

export const statusCommand = utilityCommand({
  name: 'status',
  path: '/status',
  describe: 'cli.status.describe',
  needsKey: true,
  show: (body, lang) => {
    const status = t(lang, 'cli.status.line', { status: body.status ?? t(lang, 'cli.unknown') });
    const endpoints = Array.isArray(body.endpoints) ? body.endpoints.join(', ') : undefined;
    return endpoints === undefined ? status : `${status}\n${t(lang, 'cli.status.endpoints', { endpoints })}`;
  },
});
