package dev.ncp.host.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import javax.tools.ToolProvider;

/**
 * Builds a real PF4J plugin jar at test time, outside the host's build: compiles the given Java sources against
 * ncp-api and PF4J with PF4J's annotation processor (which writes the extension index), then jars the classes
 * with a plugin manifest. What a plugin author's build produces, minus Maven.
 */
public final class PluginJarBuilder {

    private final String pluginId;
    private final String version;
    private final List<String> sources = new ArrayList<>();

    public PluginJarBuilder(String pluginId, String version) {
        this.pluginId = pluginId;
        this.version = version;
    }

    /** Adds one compilation unit; its file name comes from its public class. */
    public PluginJarBuilder source(String javaSource) {
        sources.add(javaSource);
        return this;
    }

    public Path build(Path jarFile) throws IOException {
        Path work = Files.createTempDirectory("ncp-plugin-src");
        Path classes = Files.createDirectories(work.resolve("classes"));
        List<String> files = new ArrayList<>();
        for (String src : sources) {
            var m = java.util.regex.Pattern.compile("public\\s+(?:final\\s+)?class\\s+(\\w+)").matcher(src);
            if (!m.find()) {
                throw new IllegalArgumentException("source has no public class");
            }
            Path file = work.resolve(m.group(1) + ".java");
            Files.writeString(file, src);
            files.add(file.toString());
        }
        var compiler = ToolProvider.getSystemJavaCompiler();
        var out = new java.io.ByteArrayOutputStream();
        List<String> args = new ArrayList<>(List.of("-d", classes.toString(), "-cp", classpath(),
                "-processor", "org.pf4j.processor.ExtensionAnnotationProcessor", "--release", "21"));
        args.addAll(files);
        if (compiler.run(null, out, out, args.toArray(String[]::new)) != 0) {
            throw new IllegalStateException("test plugin did not compile:\n" + out);
        }
        writeJar(classes, jarFile);
        return jarFile;
    }

    private void writeJar(Path classes, Path jarFile) throws IOException {
        var manifest = new Manifest();
        Attributes a = manifest.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Plugin-Id", pluginId);
        a.putValue("Plugin-Version", version);
        a.putValue("Plugin-Provider", "ncp tests");
        Files.createDirectories(jarFile.toAbsolutePath().getParent());
        try (OutputStream os = Files.newOutputStream(jarFile);
             var jar = new JarOutputStream(os, manifest);
             Stream<Path> walk = Files.walk(classes)) {
            for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
                jar.putNextEntry(new JarEntry(classes.relativize(p).toString().replace('\\', '/')));
                jar.write(Files.readAllBytes(p));
                jar.closeEntry();
            }
        }
    }

    /** ncp-api and PF4J, found from the classes the test itself runs with. */
    private static String classpath() {
        return String.join(java.io.File.pathSeparator,
                locationOf(dev.ncp.api.auth.AuthProvider.class),
                locationOf(org.pf4j.Extension.class),
                locationOf(org.slf4j.Logger.class));
    }

    private static String locationOf(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A plugin whose AuthProvider lets in requests carrying {@code x-test-plugin: <secret>} as an operator (who may
     * read {@code /health}'s details); it abstains otherwise.
     */
    public static PluginJarBuilder headerAuthPlugin(String pluginId, String secret) {
        return new PluginJarBuilder(pluginId, "1.2.3").source("""
                package dev.ncp.testplugin;

                import dev.ncp.api.auth.*;
                import org.pf4j.Extension;

                @Extension
                public class HeaderAuthProvider implements AuthProvider {
                    public String name() { return "test-header-auth"; }
                    public AuthDecision authenticate(AuthRequest request) {
                        return request.header("x-test-plugin").filter("%s"::equals)
                                .<AuthDecision>map(v -> AuthDecision.accept(Principal.operatorNamed("test-plugin-user")))
                                .orElse(AuthDecision.abstain());
                    }
                }
                """.formatted(secret));
    }
}
