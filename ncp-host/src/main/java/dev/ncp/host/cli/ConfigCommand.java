package dev.ncp.host.cli;

import dev.ncp.host.config.ConfigExample;
import dev.ncp.host.config.ConfigException;
import dev.ncp.host.config.EffectiveValue;
import dev.ncp.host.config.ResolvedSettings;
import dev.ncp.host.config.Secrets;
import dev.ncp.host.config.Setting;
import dev.ncp.host.config.SettingSource;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code ncp config check|show|example}: the configuration, validated, explained, or as a starting file. */
@Command(name = "config", mixinStandardHelpOptions = true,
        description = "Check, show or start a configuration (defaults < config file < .env < environment < flags).",
        subcommands = {ConfigCommand.Check.class, ConfigCommand.Show.class, ConfigCommand.Example.class},
        footerHeading = "%nExample:%n", footer = "  ncp config check --config ~/.ncp/config.yaml")
final class ConfigCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "Validate the configuration as ncp proxy would read it, without starting anything.",
            footerHeading = "%nExample:%n", footer = "  ncp config check --config ./team.yaml",
            exitCodeListHeading = "%nExit codes:%n", exitCodeList = {"0:valid", "2:not valid (the reason is shown)"})
    static final class Check implements Callable<Integer> {

        @Mixin
        ConfigOptions options;

        @Override
        public Integer call() {
            try {
                ResolvedSettings resolved = options.resolve(null, null);
                ConfigOptions.printWarnings(resolved, System.err);
                var config = ConfigOptions.loader().build(resolved);
                System.out.println("Configuration OK: ncp would listen on " + config.listenUrl() + " with storage "
                        + config.storageEngine() + (resolved.warnings().isEmpty() ? "."
                        : " (" + resolved.warnings().size() + " warning" + (resolved.warnings().size() == 1 ? "" : "s")
                        + " above)."));
                return 0;
            } catch (ConfigException e) {
                System.err.println("ncp: " + e.getMessage());
                return 2;
            }
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Print every setting's effective value, where it came from (default, file, .env,"
                    + " environment, flag) and what it does; secrets masked.",
            footerHeading = "%nExample:%n", footer = "  ncp config show --port 9000 | grep PROXY_",
            exitCodeListHeading = "%nExit codes:%n", exitCodeList = {"0:shown", "2:the configuration is not valid"})
    static final class Show implements Callable<Integer> {

        @Mixin
        ConfigOptions options;

        @Override
        public Integer call() {
            ResolvedSettings resolved;
            try {
                resolved = options.resolve(null, null);
            } catch (ConfigException e) {
                System.err.println("ncp: " + e.getMessage());
                return 2;
            }
            ConfigOptions.printWarnings(resolved, System.err);
            for (Setting s : Setting.values()) {
                EffectiveValue v = resolved.values().get(s.name());
                String value = v == null ? "(unset)" : s.secret() ? Secrets.mask(v.value()) : v.value();
                String source = v == null ? "default" : v.source() == SettingSource.FILE
                        || v.source() == SettingSource.DOTENV ? v.source().label() + " " + v.origin()
                        : v.source().label();
                System.out.printf("%-32s %-36s %s%n", s.name(), value, source);
                System.out.println("    " + s.description());
            }
            try {
                ConfigOptions.loader().build(resolved);
            } catch (ConfigException e) {
                System.err.println("ncp: " + e.getMessage());
                return 2;
            }
            return 0;
        }
    }

    @Command(name = "example", mixinStandardHelpOptions = true,
            description = "Print a config file with every setting, commented out, at its default.",
            footerHeading = "%nExample:%n", footer = "  ncp config example > ~/.ncp/config.yaml")
    static final class Example implements Runnable {

        @Override
        public void run() {
            System.out.print(ConfigExample.render());
        }
    }
}
