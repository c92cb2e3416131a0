import { parseArgs, type ParseArgsConfig } from "node:util";

/** Exit status of every script for invalid options. */
export const EXIT_USAGE = 2;

type OptionsConfig = NonNullable<ParseArgsConfig["options"]>;

/** The parsed values of `Options`: a boolean for each boolean option, a string for each other one. */
type OptionValues<Options extends OptionsConfig> = {
  [Name in keyof Options]?: Options[Name]["type"] extends "boolean" ? boolean : string;
};

/**
 * Parses a script's options, adding `--help`. Returns the option values, or the exit status when
 * the script should stop: 0 after printing `usage` for `--help`, `EXIT_USAGE` after printing why
 * the options are invalid.
 */
export function parseCommandLine<const Options extends OptionsConfig>(
  scriptName: string,
  usage: string,
  options: Options,
): { values: OptionValues<Options> } | { exitCode: number } {
  try {
    const { values } = parseArgs({
      options: { ...options, help: { type: "boolean" } },
      allowPositionals: false,
      strict: true,
    }) as { values: OptionValues<Options> & { help?: boolean } };

    if (values.help === true) {
      console.log(usage);
      return { exitCode: 0 };
    }

    return { values };
  } catch (error) {
    // parseArgs throws a TypeError with an ERR_PARSE_ARGS_* code for unknown options or missing values.
    console.error(`${scriptName}: ${error instanceof Error ? error.message : String(error)}`);
    console.error("Run with --help for usage.");
    return { exitCode: EXIT_USAGE };
  }
}
