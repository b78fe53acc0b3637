package dev.ncp.host.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ncp.api.auth.AuthProvider;
import dev.ncp.host.testing.PluginJarBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginHostTest {

    @TempDir
    Path dir;

    @Test
    void aPluginJarIsLoadedAndItsExtensionsAreOffered() throws IOException {
        PluginJarBuilder.headerAuthPlugin("test-auth", "s3cret").build(dir.resolve("test-auth.jar"));
        try (PluginHost host = PluginHost.load(List.of(dir))) {
            assertEquals(List.of(), host.failures());
            List<LoadedPlugin> plugins = host.plugins();
            assertEquals(1, plugins.size());
            assertEquals("test-auth", plugins.get(0).id());
            assertEquals("1.2.3", plugins.get(0).version());
            assertEquals(List.of("dev.ncp.testplugin.HeaderAuthProvider"), plugins.get(0).extensions());
            List<AuthProvider> providers = host.extensions(AuthProvider.class);
            assertEquals(1, providers.size());
            assertEquals("test-header-auth", providers.get(0).name());
        }
    }

    @Test
    void aCorruptJarIsReportedInOneLineAndTheOthersStillLoad() throws IOException {
        PluginJarBuilder.headerAuthPlugin("good", "x").build(dir.resolve("good.jar"));
        Files.write(dir.resolve("broken.jar"), new byte[] {'n', 'o', 't', ' ', 'a', ' ', 'j', 'a', 'r'});
        try (PluginHost host = PluginHost.load(List.of(dir))) {
            assertEquals(List.of("good"), host.plugins().stream().map(LoadedPlugin::id).toList());
            assertEquals(1, host.failures().size());
            PluginLoadFailure failure = host.failures().get(0);
            assertEquals(dir.resolve("broken.jar"), failure.file());
            assertEquals(1, failure.toString().lines().count());
            assertTrue(failure.toString().startsWith("broken.jar: "), failure.toString());
            // The reason is the zip's own, not PF4J's "No PluginDescriptorFinder" (which it logs with a stack trace).
            assertTrue(failure.reason().startsWith("not a readable jar ("), failure.reason());
        }
    }

    @Test
    void aJarWithoutPluginManifestIsReportedWithItsReason() throws IOException {
        try (var out = new JarOutputStream(Files.newOutputStream(dir.resolve("no-manifest.jar")), new Manifest())) {
            out.putNextEntry(new java.util.jar.JarEntry("readme.txt"));
            out.write("hello".getBytes());
        }
        try (PluginHost host = PluginHost.load(List.of(dir))) {
            assertEquals(List.of(), host.plugins());
            assertEquals(1, host.failures().size());
            assertEquals(dir.resolve("no-manifest.jar"), host.failures().get(0).file());
            assertEquals("its manifest has no Plugin-Id, so it is not an ncp plugin jar", host.failures().get(0).reason());
        }
    }

    @Test
    void aPluginMissingItsDependencyIsReportedAndSkipped() throws IOException {
        var builder = new PluginJarBuilder("needy", "1.0.0").source("""
                package dev.ncp.needy;
                import org.pf4j.Extension;
                import dev.ncp.api.auth.*;
                @Extension
                public class NeedyAuth implements AuthProvider {
                    public String name() { return "needy"; }
                    public AuthDecision authenticate(AuthRequest r) { return AuthDecision.abstain(); }
                }
                """);
        Path jar = builder.build(dir.resolve("needy.jar"));
        addManifestEntry(jar, "Plugin-Dependencies", "absent-plugin");
        try (PluginHost host = PluginHost.load(List.of(dir))) {
            assertEquals(List.of(), host.plugins());
            assertEquals(1, host.failures().size(), host.failures().toString());
            assertEquals("needs plugin 'absent-plugin', which is not installed", host.failures().get(0).reason());
        }
    }

    @Test
    void missingDirectoriesMeanNoPluginsAndNoFailure() {
        try (PluginHost host = PluginHost.load(List.of(dir.resolve("absent")))) {
            assertEquals(List.of(), host.plugins());
            assertEquals(List.of(), host.failures());
        }
    }

    private static void addManifestEntry(Path jar, String name, String value) throws IOException {
        Path copy = jar.resolveSibling("tmp-" + jar.getFileName());
        try (var in = new java.util.jar.JarFile(jar.toFile())) {
            Manifest m = new Manifest(in.getManifest());
            m.getMainAttributes().putValue(name, value);
            try (var out = new JarOutputStream(Files.newOutputStream(copy), m)) {
                for (var e : java.util.Collections.list(in.entries())) {
                    if (e.getName().equals("META-INF/MANIFEST.MF")) {
                        continue;
                    }
                    out.putNextEntry(new java.util.jar.JarEntry(e.getName()));
                    in.getInputStream(e).transferTo(out);
                }
            }
        }
        Files.move(copy, jar, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
