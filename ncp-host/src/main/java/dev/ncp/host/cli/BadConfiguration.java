package dev.ncp.host.cli;

import dev.ncp.host.config.ConfigException;
import picocli.CommandLine;

/**
 * Every command's answer to a configuration it cannot load: one line on stderr, {@code ncp: } and what to correct
 * (the loader's message names the setting, its source and the allowed values), exit code 2. Anything else is not a
 * configuration problem and goes on to picocli's own handling.
 */
final class BadConfiguration implements CommandLine.IExecutionExceptionHandler {

    static final int EXIT_CODE = 2;

    @Override
    public int handleExecutionException(Exception e, CommandLine command, CommandLine.ParseResult parsed)
            throws Exception {
        if (!(e instanceof ConfigException)) {
            throw e;
        }
        System.err.println("ncp: " + e.getMessage().replaceAll("\\s*\\R\\s*", " "));
        return EXIT_CODE;
    }
}
