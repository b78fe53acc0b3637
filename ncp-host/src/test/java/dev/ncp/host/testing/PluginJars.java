package dev.ncp.host.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * Jars a plugin module's compiled classes ({@code target/classes}, extension index included) with a plugin
 * manifest, so the module's own tests can load it into a real ncp ({@link ProxyHarness} with
 * {@code NCP_PLUGINS_DIR}) before Maven has packaged it. Libraries the plugin shades at package time are not in
 * this jar; the plugin's class loader finds them on the test class path instead.
 */
public final class PluginJars {

    private PluginJars() {
    }

    /** Writes {@code <dir>/<pluginId>.jar} from the classes directory {@code extension} was loaded from. */
    public static Path fromClassesOf(Class<?> extension, String pluginId, Path dir) throws IOException {
        Path classes = classesDirectory(extension);
        var manifest = new Manifest();
        Attributes a = manifest.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Plugin-Id", pluginId);
        a.putValue("Plugin-Version", "0.0.0-test");
        a.putValue("Plugin-Provider", "ncp tests");
        Path jarFile = Files.createDirectories(dir).resolve(pluginId + ".jar");
        try (OutputStream os = Files.newOutputStream(jarFile);
             var jar = new JarOutputStream(os, manifest);
             Stream<Path> walk = Files.walk(classes)) {
            for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
                String name = classes.relativize(p).toString().replace('\\', '/');
                if (name.equals("META-INF/MANIFEST.MF")) {
                    continue;
                }
                jar.putNextEntry(new JarEntry(name));
                jar.write(Files.readAllBytes(p));
                jar.closeEntry();
            }
        }
        return jarFile;
    }

    private static Path classesDirectory(Class<?> type) {
        try {
            Path location = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (!Files.isDirectory(location)) {
                throw new IllegalArgumentException(type + " was not loaded from a classes directory: " + location);
            }
            return location;
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
