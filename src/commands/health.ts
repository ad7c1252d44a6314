import { utilityCommand } from './utility.js';

export const healthCommand = utilityCommand({
  name: 'health',
  path: '/health',
  describe: 'Is the API up? (no key needed)',
  needsKey: false,
  show: (body) =>
    `API ${body.status ?? 'answered'}${body.environment ? ` (${body.environment})` : ''}${body.timestamp ? ` at ${body.timestamp}` : ''}`,
});
