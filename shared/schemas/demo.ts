import { z } from 'zod';

/** `npm run demo` options: each at most once, nothing else. */
export const demoCommandOptions = ['--reset', '--help'] as const;

export const demoCommandArgs = z
  .array(z.enum(demoCommandOptions, { error: (issue) => `unknown option ${JSON.stringify(issue.input)}` }))
  .refine((args) => new Set(args).size === args.length, 'an option is given twice')
  .transform((args) => ({ reset: args.includes('--reset'), help: args.includes('--help') }));
export type DemoCommandArgs = z.output<typeof demoCommandArgs>;
