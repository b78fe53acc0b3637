package dev.ncp.host;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * ncp-host's packages form floors, bottom first (docs/architecture.md draws them): a package may use packages on its
 * own floor or below, never above, and no packages depend on each other in a circle. Checked on the compiled
 * classes, so a fully qualified name in code counts as much as an import.
 */
class PackageLayersTest {

    private static final String HOST = "dev.ncp.host";

    /** The floors, bottom first; each a list of the packages (with their subpackages) on it. */
    static final List<List<String>> FLOORS = List.of(
            List.of("error", "config", "plugin", "storage", "security", "auth", "media"), // the shared bottom
            List.of("anthropic", "tokens", "model"),          // the protocol, token counts, the model registry
            List.of("translate", "response"),                 // Anthropic -> OpenAI requests; chunks -> events
            List.of("processors", "upstream"),                // stream processors; the HTTP client to NIM
            List.of("pump", "sse"),                           // one answer's pump and its sinks
            List.of("plan"),                                  // resolve, translate, budget, shape: the attempts
            List.of("resilience"),                            // retries, breakers, fallbacks
            List.of("observe"),                               // traces, metrics, access log, the bus
            List.of("exchange"),                              // one request's typed state
            List.of("idempotency", "sessions", "limits", "usage", "messages", "passthrough"), // endpoints and features
            List.of("dashboard", "health"),                   // the endpoints that show the whole
            List.of("http"),                                  // routes and filters
            List.of("server"),                                // the composition root
            List.of("cli", "claudecode", "doctor"));          // the commands

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(HOST);

    @Test
    void everyPackageSitsOnAFloor() {
        Set<String> packages = CLASSES.stream()
                .map(c -> c.getPackageName())
                .filter(p -> p.startsWith(HOST + "."))
                .map(p -> p.substring(HOST.length() + 1).split("\\.")[0])
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> onFloors = FLOORS.stream().flatMap(List::stream).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(onFloors, packages, "a new package needs its floor in FLOORS (and in docs/architecture.md)");
        assertTrue(CLASSES.stream().noneMatch(c -> c.getPackageName().equals(HOST)),
                "no class lives in dev.ncp.host itself: it would belong to no floor");
    }

    @Test
    void noPackageUsesOneOnAHigherFloor() {
        for (int floor = 0; floor < FLOORS.size() - 1; floor++) {
            List<String> above = new ArrayList<>();
            FLOORS.subList(floor + 1, FLOORS.size()).forEach(f -> f.forEach(p -> above.add(HOST + "." + p + "..")));
            noClasses().that().resideInAnyPackage(packages(FLOORS.get(floor)))
                    .should().dependOnClassesThat().resideInAnyPackage(above.toArray(String[]::new))
                    .because("packages on floor " + floor + " " + FLOORS.get(floor) + " sit below those")
                    .check(CLASSES);
        }
    }

    @Test
    void packagesDoNotDependOnEachOtherInACircle() {
        slices().matching(HOST + ".(*)..").should().beFreeOfCycles().check(CLASSES);
    }

    private static String[] packages(List<String> names) {
        return names.stream().map(p -> HOST + "." + p + "..").toArray(String[]::new);
    }
}
