// The output formats of `sgdexp run`, apart from runCommand.ts so that parsing the command line
// does not load the run.
export const FORMATS = ['json', 'csv', 'svg', 'png', 'html'] as const;
export type Format = (typeof FORMATS)[number];
