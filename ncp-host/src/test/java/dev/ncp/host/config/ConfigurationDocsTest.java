package dev.ncp.host.config;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/configuration.md documents every setting ncp reads, with its real default. */
class ConfigurationDocsTest {

    @Test
    void everySettingIsDocumentedWithItsDefault() throws IOException {
        String docs = Files.readString(Path.of("../docs/configuration.md"));
        for (Setting s : Setting.values()) {
            String row = docs.lines().filter(l -> l.startsWith("| `" + s.name() + "` |")).findFirst()
                    .orElseThrow(() -> new AssertionError(s + " is missing from docs/configuration.md"));
            if (s.defaultValue() != null) {
                assertTrue(row.contains("`" + s.defaultValue() + "`"), s + " row does not show its default: " + row);
            }
        }
    }
}
