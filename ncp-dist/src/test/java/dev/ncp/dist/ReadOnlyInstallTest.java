package dev.ncp.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The self-contained tarball installed as a container (or a careful administrator) installs it: the installation
 * read-only, ncp run by an unprivileged user whose only writable place is its HOME. It starts, keeps its state under
 * that HOME, and leaves the installation as it found it.
 */
class ReadOnlyInstallTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The unprivileged user when the tests run as root: nobody. */
    private static final int NOBODY = 65534;

    @TempDir
    Path work;

    @Test
    void runsFromAReadOnlyInstallationWithStateOnlyUnderItsHome() throws Exception {
        Path ncp = UnpackedTarball.unpack(UnpackedTarball.SELF_CONTAINED, work.resolve("opt"));
        var user = new UnpackedTarball(work);
        sh("chmod", "-R", "a-w", ncp.toString());
        try {
            int uid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            List<String> asUser = List.of();
            int expectedUid = uid;
            if (uid == 0) {
                // root writes through any permission: the proxy runs as nobody instead, as a container's user would.
                sh("chmod", "755", work.toString());
                sh("chown", "-R", NOBODY + ":" + NOBODY, user.home().toString());
                asUser = List.of("/usr/bin/setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups", "--");
                expectedUid = NOBODY;
            }
            Map<String, String> before = snapshot(ncp);
            try (var proxy = user.startProxy(ncp, asUser, Map.of())) {
                var health = JSON.readTree(proxy.awaitHealthy());
                assertEquals("sqlite", health.path("storage").path("engine").asText(), health.toString());
                assertTrue(health.path("storage").path("healthy").asBoolean(), health.toString());
                String status = Files.readString(Path.of("/proc", String.valueOf(proxy.pid()), "status"));
                String uidLine = "Uid:\\s+" + expectedUid + "\\s.*";
                assertTrue(status.lines().anyMatch(l -> l.matches(uidLine)), status);
                Path db = user.home().resolve(".ncp/ncp.db");
                assertTrue(Files.exists(db), "the SQLite file under HOME/.ncp: " + proxy.log());
                assertEquals(expectedUid, Files.getAttribute(db, "unix:uid"), "written by the proxy's user");
            }
            assertEquals(before, snapshot(ncp), "the installation is unchanged");
        } finally {
            sh("chmod", "-R", "u+w", ncp.toString());
        }
    }

    /** Every file and directory of {@code root}: its size, modification time and permissions. */
    private static Map<String, String> snapshot(Path root) throws Exception {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.toList()) {
                files.put(root.relativize(p).toString(), Files.size(p) + " " + Files.getLastModifiedTime(p) + " "
                        + Files.getAttribute(p, "posix:permissions"));
            }
        }
        return files;
    }

    private static void sh(String... command) throws Exception {
        Process p = new ProcessBuilder(command).inheritIO().start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), String.join(" ", command));
        assertEquals(0, p.exitValue(), String.join(" ", command));
    }
}
