package dev.ncp.host.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.anthropic.core.JsonValue;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.Tool;
import dev.ncp.host.testing.ProxyHarness;
import dev.ncp.host.testing.ScriptedUpstream.Script;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The live dashboard in a real headless Chromium (Debian's chromium and chromium-driver, driven by Selenium): it
 * connects to the visualization websocket, and a streamed tool call sent through ncp appears in its timeline and
 * request table with the model, the tool's name and the token counts. Leaves a screenshot in
 * {@code target/artifacts/dashboard.png} (a build artifact to look at). Nothing is downloaded: the driver and browser
 * paths are given, so Selenium Manager never runs.
 */
class DashboardBrowserTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SCREENSHOT = Path.of("target", "artifacts", "dashboard.png");
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String UPSTREAM_MODEL = "qwen/qwen3-coder-480b-a35b-instruct";
    /** Selenium warns that it has no DevTools binding for this Chromium; the test does not use DevTools. */
    private static final java.util.logging.Logger SELENIUM_LOG = java.util.logging.Logger.getLogger("org.openqa.selenium");

    static {
        SELENIUM_LOG.setLevel(java.util.logging.Level.SEVERE);
    }

    @Test
    void theDashboardShowsAStreamedToolCallWithItsModelToolNameAndTokenCounts() throws Exception {
        requireChromium();
        System.setProperty("SE_AVOID_STATS", "true");
        Path profile = Files.createTempDirectory("ncp-chromium");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        WebDriver browser = null;
        try (var h = ProxyHarness.start()) {
            browser = new ChromeDriver(service, options(profile));
            browser.get(h.baseUrl() + "/dashboard/stream");
            var wait = new WebDriverWait(browser, WAIT);
            wait.until(b -> b.findElement(By.id("connection")).getText().equals("live"));

            h.upstream().enqueue(Script.fixture("text-then-tool-call.sse").chunked(256, Duration.ofMillis(20)))
                    .enqueue(Script.fixture("text-stop-usage-last.sse"))
                    .enqueue(Script.error("nim-429-problem-details"));
            Message answer = streamToolCall(h);
            assertEquals("Bash", answer.content().get(1).asToolUse().name());
            h.client().messages().create(MessageCreateParams.builder().model("claude-haiku-4-5").maxTokens(64)
                    .addUserMessage("Hi").build());
            try {
                h.client().messages().create(MessageCreateParams.builder().model("claude-sonnet-4-6").maxTokens(64)
                        .addUserMessage("Hi").build());
                fail("the upstream answered 429");
            } catch (com.anthropic.errors.RateLimitException expected) {
                // shows under recent errors
            }

            String finish = wait.until(b -> eventText(b, "finish", "tool_use"));
            assertTrue(finish.contains(UPSTREAM_MODEL), finish);
            assertTrue(finish.contains("in 5,210") && finish.contains("out 48 tokens"), finish);
            String tool = wait.until(b -> eventText(b, "tool_call", "Bash"));
            assertTrue(tool.contains("toolu_"), tool);
            String routed = wait.until(b -> eventText(b, "routed", "claude-opus-4-7"));
            assertTrue(routed.contains("claude-opus-4-7 → " + UPSTREAM_MODEL), routed);
            assertEquals("tools", laneOf(browser, "tool_call"));

            WebElement row = wait.until(b -> b.findElements(By.cssSelector("#requests tbody tr")).stream()
                    .filter(r -> r.getText().contains("claude-opus-4-7 → " + UPSTREAM_MODEL)).findFirst()
                    .orElse(null));
            assertTrue(row.getText().contains("5,210") && row.getText().contains(" 48 "), row.getText());
            wait.until(b -> b.findElement(By.id("c-requests")).getText().equals("3"));
            wait.until(b -> b.findElement(By.id("errors")).getText().contains("rate_limit_error"));
            wait.until(b -> b.findElement(By.id("bus")).getText().contains("1 subscriber"));

            Files.createDirectories(SCREENSHOT.getParent());
            Files.write(SCREENSHOT, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
            assertTrue(Files.size(SCREENSHOT) > 10_000, "screenshot " + SCREENSHOT + " looks empty");
        } finally {
            if (browser != null) {
                browser.quit();
            }
            service.stop();
            deleteTree(profile);
        }
    }

    private static void requireChromium() {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            fail("The dashboard test needs Debian's headless Chromium and its driver at " + CHROMIUM + " and "
                    + CHROMEDRIVER + ". Install them: apt-get install -y chromium chromium-driver (.ci/run does).");
        }
    }

    private static ChromeOptions options(Path profile) {
        var options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--user-data-dir=" + profile, "--window-size=1440,1300");
        return options;
    }

    private static Message streamToolCall(ProxyHarness h) {
        var params = MessageCreateParams.builder().model("claude-opus-4-7").maxTokens(512)
                .addTool(Tool.builder().name("Bash").description("Run a command")
                        .inputSchema(Tool.InputSchema.builder().properties(Tool.InputSchema.Properties.builder()
                                .putAdditionalProperty("command", JsonValue.from(Map.of("type", "string")))
                                .build()).build()).build())
                .addUserMessage("List /tmp").build();
        try (var stream = h.client().messages().createStreaming(params)) {
            var accumulator = MessageAccumulator.create();
            stream.stream().forEach(accumulator::accumulate);
            return accumulator.message();
        }
    }

    /** The text of the timeline event of {@code type} that mentions {@code text}, or null while there is none. */
    private static String eventText(WebDriver browser, String type, String text) {
        List<WebElement> events = browser.findElements(By.cssSelector("#timeline .ev[data-type='" + type + "']"));
        return events.stream().map(e -> e.getAttribute("title")).filter(t -> t != null && t.contains(text))
                .findFirst().orElse(null);
    }

    private static String laneOf(WebDriver browser, String type) {
        WebElement event = browser.findElement(By.cssSelector("#timeline .ev[data-type='" + type + "']"));
        return Stream.of("lifecycle", "content", "tools", "diagnostics")
                .filter(lane -> event.getAttribute("class").contains(lane)).findFirst().orElse("none");
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        }
    }
}
