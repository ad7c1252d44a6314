import { utilityCommand } from './utility.js';

export const statusCommand = utilityCommand({
  name: 'status',
  path: '/status',
  describe: 'Service status (free)',
  needsKey: true,
  show: (body) =>
    `Status: ${body.status ?? 'unknown'}${Array.isArray(body.endpoints) ? `\nEndpoints: ${body.endpoints.join(', ')}` : ''}`,
});
