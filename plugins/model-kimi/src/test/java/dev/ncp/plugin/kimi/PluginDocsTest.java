package dev.ncp.plugin.kimi;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/plugins.md shows this plugin as its worked example, whole: the copy there must be this code. */
class PluginDocsTest {

    private static final Path ROOT = Path.of("../..");

    @Test
    void theWorkedExampleInPluginsMdIsTheWholeCurrentSource() throws Exception {
        String doc = Files.readString(ROOT.resolve("docs/plugins.md"));
        String source = Files.readString(Path.of("src/main/java/dev/ncp/plugin/kimi/KimiAdapter.java")).strip();
        String pom = Files.readString(Path.of("pom.xml"));
        assertTrue(doc.contains(source), "docs/plugins.md does not show KimiAdapter.java as it is");
        assertTrue(doc.contains(pom.substring(pom.indexOf("<project")).strip()),
                "docs/plugins.md does not show model-kimi's pom.xml as it is");
    }
}
