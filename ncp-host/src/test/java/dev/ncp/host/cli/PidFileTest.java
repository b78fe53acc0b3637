package dev.ncp.host.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A pid file names the background proxy only while that very process, an ncp, lives. */
class PidFileTest {

    @TempDir
    Path dir;

    @Test
    void aLiveNcpProcessIsFoundEvenWithACommandLineLongerThanTheJdkShows() throws Exception {
        // Longer than the 4 KB of a command line ProcessHandle.Info shows, as bin/ncp's class path makes it.
        String padding = "x".repeat(5000);
        Process ncp = new ProcessBuilder("sh", "-c", "sleep 30 # " + padding + " dev.ncp.host.cli.NcpCommand proxy")
                .start();
        try {
            PidFile file = PidFile.writeCurrent(dir.resolve("run/ncp-8788.pid"));
            Files.writeString(file.path(), ncp.pid() + "\n");
            assertEquals(Optional.of(ncp.pid()), file.process().map(ProcessHandle::pid));
            assertTrue(Files.exists(file.path()));
        } finally {
            ncp.destroyForcibly().waitFor();
        }
    }

    @Test
    void aPidReusedByAnotherProgramOrAGoneProcessIsStaleAndRemoved() throws Exception {
        Process other = new ProcessBuilder("sleep", "30").start();
        try {
            PidFile file = new PidFile(dir.resolve("ncp-8788.pid"));
            Files.writeString(file.path(), other.pid() + "\n");
            assertEquals(Optional.empty(), file.process(), "another program is never taken for ncp");
            assertFalse(Files.exists(file.path()));
        } finally {
            other.destroyForcibly().waitFor();
        }
        PidFile gone = new PidFile(dir.resolve("ncp-9000.pid"));
        Files.writeString(gone.path(), other.pid() + "\n");
        assertEquals(Optional.empty(), gone.process());
        assertFalse(Files.exists(gone.path()));
    }
}
