import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { withOptions } from './yargs-options.js';
import { estimateFile, estimateText } from '../engine/estimate.js';
import { enrichConfig } from '../options/normalize.js';
import { resolveOptions } from '../options/values.js';
import { inputArg, withInput, type InputArg } from './input-arg.js';
import { t, type Lang } from '../i18n/index.js';

export const estimateCommand = (lang: Lang): CommandModule<object, InputArg> => ({
  command: 'estimate <input>',
  describe: t(lang, 'cli.estimate.describe'),
  builder: (yargs: Argv) =>
    withOptions(withInput(yargs, lang), 'estimate', lang).example(
      '$0 estimate contatos.csv --cache cache.sqlite',
      t(lang, 'cli.estimate.example.cache'),
    ),
  handler: async (args: ArgumentsCamelCase<InputArg>) => {
    const { json } = resolveOptions('estimate', args, process.env);
    // The run estimate imagines: enrich's options (those estimate takes given, the others at their defaults).
    const values = resolveOptions('enrich', { ...args, progress: 'off' }, process.env);
    const config = enrichConfig(inputArg(args.input), values, { estimate: true });
    const estimate = await estimateFile(config);
    process.stdout.write(json ? `${JSON.stringify(estimate, null, 2)}\n` : estimateText(estimate, config.lang));
  },
});
