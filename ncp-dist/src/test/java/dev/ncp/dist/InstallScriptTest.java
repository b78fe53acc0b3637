package dev.ncp.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scripts/install.sh}, run as a user runs it, in an environment with no JDK 21: it installs the self-contained
 * tarball under a prefix, upgrades it in place keeping {@code ~/.ncp}, and uninstalls what it installed.
 */
class InstallScriptTest {

    private static final Path INSTALL_SH = BundleProcess.REPOSITORY_ROOT.resolve("scripts/install.sh");
    private static final String VERSION = BundleStartTest.BUILD_VERSION;

    @TempDir
    Path work;

    private UnpackedTarball.Result install(UnpackedTarball user, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", INSTALL_SH.toString()));
        command.addAll(List.of(args));
        return user.run(command, Map.of());
    }

    @Test
    void installsUpgradesAndUninstallsUnderAPrefix() throws Exception {
        var user = new UnpackedTarball(work);
        Path prefix = work.resolve("prefix");
        String tarball = UnpackedTarball.SELF_CONTAINED.toString();
        Path link = prefix.resolve("bin/ncp");
        Path installed = prefix.resolve("lib/ncp-" + VERSION);

        // No tarball named: the one the build left in ncp-dist/target.
        var first = install(user, "--prefix", prefix.toString());
        assertEquals(0, first.exit(), first.err());
        assertTrue(first.out().contains("installed ncp " + VERSION + " in " + installed), first.out());
        assertTrue(first.out().contains(prefix.resolve("bin") + " is not on your PATH"), first.out());
        assertEquals(installed.resolve("bin/ncp"), Files.readSymbolicLink(link));
        assertVersion(user, link);

        // The same tarball again: the same installation, whole.
        Files.createDirectories(user.home().resolve(".ncp"));
        Path data = Files.writeString(user.home().resolve(".ncp/config.yaml"), "# mine\n");
        var again = install(user, tarball, "--prefix", prefix.toString());
        assertEquals(0, again.exit(), again.err());
        assertTrue(again.out().contains("reinstalled ncp " + VERSION), again.out());
        assertEquals(List.of("ncp-" + VERSION), listing(prefix.resolve("lib")));
        assertVersion(user, link);

        // A newer version: the link moves to it, the version it replaces goes, ~/.ncp stays.
        Path newer = repackagedAs(VERSION + ".1");
        var upgrade = install(user, newer.toString(), "--prefix", prefix.toString());
        assertEquals(0, upgrade.exit(), upgrade.err());
        assertTrue(upgrade.out().contains("upgraded ncp " + VERSION + " to " + VERSION + ".1"), upgrade.out());
        Path upgraded = prefix.resolve("lib/ncp-" + VERSION + ".1");
        assertEquals(upgraded.resolve("bin/ncp"), Files.readSymbolicLink(link));
        assertEquals(List.of("ncp-" + VERSION + ".1"), listing(prefix.resolve("lib")));
        assertTrue(Files.exists(upgraded.resolve("REPACKAGED")), "the new version's own files");
        assertEquals("# mine\n", Files.readString(data));
        assertVersion(user, link);

        var uninstall = install(user, "--uninstall", "--prefix", prefix.toString());
        assertEquals(0, uninstall.exit(), uninstall.err());
        assertFalse(Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS), "the link is removed");
        assertEquals(List.of(), listing(prefix.resolve("lib")));
        assertEquals("# mine\n", Files.readString(data), "uninstall keeps ~/.ncp");
        var twice = install(user, "--uninstall", "--prefix", prefix.toString());
        assertEquals(0, twice.exit(), twice.err());
        assertTrue(twice.out().contains("nothing to remove"), twice.out());
    }

    @Test
    void anNcpTheInstallerDidNotPutThereIsLeftAlone() throws Exception {
        var user = new UnpackedTarball(work);
        Path prefix = work.resolve("prefix");
        Path theirs = Files.writeString(Files.createDirectories(prefix.resolve("bin")).resolve("ncp"), "#!/bin/sh\n");
        var result = install(user, UnpackedTarball.SELF_CONTAINED.toString(), "--prefix", prefix.toString());
        assertEquals(1, result.exit(), result.out());
        assertTrue(result.err().contains("was not installed by this script"), result.err());
        assertEquals("#!/bin/sh\n", Files.readString(theirs));
        assertFalse(Files.exists(prefix.resolve("lib/ncp-" + VERSION)));
        var uninstall = install(user, "--uninstall", "--prefix", prefix.toString());
        assertEquals(1, uninstall.exit(), uninstall.out());
        assertEquals("#!/bin/sh\n", Files.readString(theirs));
    }

    private static void assertVersion(UnpackedTarball user, Path link) throws Exception {
        var version = user.run(List.of(link.toString(), "--version"), Map.of());
        assertEquals(0, version.exit(), version.err());
        assertEquals("ncp " + VERSION, version.out().strip());
    }

    /** The built tarball under another version's name, with one file of its own to tell it apart. */
    private Path repackagedAs(String version) throws Exception {
        Path dir = work.resolve("repack");
        Path top = UnpackedTarball.unpack(UnpackedTarball.SELF_CONTAINED, dir);
        Path renamed = dir.resolve("ncp-" + version);
        Files.move(top, renamed);
        Files.writeString(renamed.resolve("REPACKAGED"), version);
        Path tarball = work.resolve("ncp-" + version + "-linux-x64.tar.gz");
        Process tar = new ProcessBuilder("tar", "-czf", tarball.toString(), "-C", dir.toString(), "ncp-" + version)
                .inheritIO().start();
        assertTrue(tar.waitFor(120, TimeUnit.SECONDS), "tar did not finish");
        assertEquals(0, tar.exitValue());
        return tarball;
    }

    private static List<String> listing(Path dir) throws Exception {
        try (var entries = Files.list(dir)) {
            return entries.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
