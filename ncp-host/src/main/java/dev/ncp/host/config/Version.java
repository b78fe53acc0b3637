package dev.ncp.host.config;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** ncp's version, from the build. */
public final class Version {

    private Version() {
    }

    public static String current() {
        try (InputStream in = Version.class.getResourceAsStream("/dev/ncp/host/version.properties")) {
            if (in == null) {
                return "dev";
            }
            var p = new Properties();
            p.load(in);
            return p.getProperty("version", "dev");
        } catch (IOException e) {
            return "dev";
        }
    }
}
