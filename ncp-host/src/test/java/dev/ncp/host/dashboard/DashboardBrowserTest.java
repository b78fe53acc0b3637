package dev.ncp.host.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.anthropic.core.JsonValue;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.Tool;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ncp.host.sessions.SessionIds;
import dev.ncp.host.testing.HttpCalls;
import dev.ncp.host.testing.ProxyHarness;
import dev.ncp.host.testing.ScriptedUpstream.Script;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.FluentWait;
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
    private static final String FALLBACK_MODEL = "meta/llama-3.3-70b-instruct";
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
        try (var h = ProxyHarness.start(Map.of("NCP_MAX_RETRIES", "0"))) { // the 429 reaches the client at once
            browser = new ChromeDriver(service, options(profile));
            browser.get(h.baseUrl() + "/dashboard/stream");
            var wait = waitOn(browser);
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

            // request, state, model requested → used, route, TTFT, tokens/s, in, out, time
            List<String> cells = wait.until(b -> b.findElements(By.cssSelector("#requests tbody tr")).stream()
                    .map(r -> r.findElements(By.tagName("td")).stream().map(WebElement::getText).toList())
                    .filter(r -> r.get(2).equals("claude-opus-4-7 → " + UPSTREAM_MODEL)).findFirst()
                    .orElse(null));
            assertEquals("ok", cells.get(1), cells.toString());
            assertTrue(cells.get(4).matches("\\d+ ms"), "time to first token: " + cells);
            // The answer streamed in 256-byte pieces 20 ms apart: long enough from first token to end for a rate.
            assertTrue(cells.get(5).matches("\\d+(\\.\\d)?") && Double.parseDouble(cells.get(5)) > 0,
                    "tokens/s: " + cells);
            assertEquals(List.of("5,210", "48"), cells.subList(6, 8));
            assertTrue(finish.contains("TTFT " + cells.get(4)) && finish.contains(cells.get(5) + " tok/s"), finish);
            wait.until(b -> b.findElement(By.id("c-requests")).getText().equals("3"));
            wait.until(b -> b.findElement(By.id("errors")).getText().contains("rate_limit_error"));
            openBusDetails(browser);
            wait.until(b -> b.findElement(By.id("bus")).getText().contains("1 subscriber"));
            // A breaker per upstream model called; a 429 is not a model failure, so all three stay closed.
            Map<String, String> breakers = wait.until(b -> breakerStates(b, 3));
            assertEquals("closed", breakers.get(UPSTREAM_MODEL), breakers.toString());
            assertEquals(List.of("closed"), breakers.values().stream().distinct().toList(), breakers.toString());

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

    @Test
    void aToolCallTheGuardRepairedShowsItsRepairOnTheTimeline() throws Exception {
        requireChromium();
        System.setProperty("SE_AVOID_STATS", "true");
        Path profile = Files.createTempDirectory("ncp-chromium");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        WebDriver browser = null;
        try (var h = ProxyHarness.start()) {
            browser = new ChromeDriver(service, options(profile));
            browser.get(h.baseUrl() + "/dashboard/stream");
            var wait = waitOn(browser);
            wait.until(b -> b.findElement(By.id("connection")).getText().equals("live"));

            h.upstream().enqueue(Script.fixture("guard-name-case.sse")); // the model calls "bash"
            assertEquals("Bash", streamToolCall(h).content().get(1).asToolUse().name());

            String guard = wait.until(b -> eventText(b, "guard", "Bash"));
            assertTrue(guard.contains("name fixed") && guard.contains("called as bash"), guard);
            assertEquals("tools", laneOf(browser, "guard"));
        } finally {
            if (browser != null) {
                browser.quit();
            }
            service.stop();
            deleteTree(profile);
        }
    }

    @Test
    void withAProxyKeyTheDashboardOpensWithItsTokenAndShowsBreakersFallbacksAndCounters() throws Exception {
        requireChromium();
        System.setProperty("SE_AVOID_STATS", "true");
        Path profile = Files.createTempDirectory("ncp-chromium");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        WebDriver browser = null;
        // The harness's SDK client sends this key; one failure opens a model's breaker, and the fallback answers.
        try (var h = ProxyHarness.start(Map.of("PROXY_API_KEY", ProxyHarness.CLIENT_KEY, "NCP_MAX_RETRIES", "0",
                "NCP_BREAKER_FAILURES", "1", "NCP_FALLBACK_MODELS", FALLBACK_MODEL))) {
            assertEquals(401, HttpCalls.get(h.baseUrl(), "/health", Map.of()).statusCode(),
                    "the page itself could not fetch /health");
            browser = new ChromeDriver(service, options(profile));
            browser.get(h.baseUrl() + dashboardUrl(h));
            var wait = waitOn(browser);
            wait.until(b -> b.findElement(By.id("connection")).getText().equals("live"));
            openBusDetails(browser);
            wait.until(b -> b.findElement(By.id("bus")).getText().startsWith("1 subscriber(s)"));

            h.upstream().enqueue(Script.fixture("text-stop-usage-last.sse"))
                    .enqueue(Script.error("nim-503-overloaded"))
                    .enqueue(Script.fixture("text-stop-usage-last.sse"));
            h.client().messages().create(MessageCreateParams.builder().model("claude-opus-4-7").maxTokens(64)
                    .addUserMessage("Hi").build());
            h.client().messages().create(MessageCreateParams.builder().model("claude-sonnet-4-6").maxTokens(64)
                    .addUserMessage("Hi").build());

            String opened = wait.until(b -> eventText(b, "breaker", ": closed → open"));
            String failedModel = opened.substring(0, opened.indexOf(": closed"));
            Map<String, String> breakers = wait.until(b -> {
                Map<String, String> states = breakerStates(b, 3);
                return states != null && "open".equals(states.get(failedModel)) ? states : null;
            });
            assertEquals("closed", breakers.get(UPSTREAM_MODEL), breakers.toString());
            assertEquals("closed", breakers.get(FALLBACK_MODEL), breakers.toString());
            List<String> fellBack = wait.until(b -> b.findElements(By.cssSelector("#requests tbody tr")).stream()
                    .map(r -> r.findElements(By.tagName("td")).stream().map(WebElement::getText).toList())
                    .filter(r -> r.get(2).equals("claude-sonnet-4-6 → " + FALLBACK_MODEL)).findFirst()
                    .orElse(null));
            assertEquals(List.of("ok", "fallback"), List.of(fellBack.get(1), fellBack.get(3)), fellBack.toString());
            wait.until(b -> b.findElement(By.id("c-requests")).getText().equals("2"));
            assertEquals("0", browser.findElement(By.id("c-errors")).getText());
            assertEquals("62", browser.findElement(By.id("c-out")).getText());
            String bus = browser.findElement(By.id("bus")).getText();
            assertTrue(bus.matches("1 subscriber\\(s\\) · [\\d,]+ published · 0 dropped · buffer 1,000 · "
                    + "side channel off"), bus);
        } finally {
            if (browser != null) {
                browser.quit();
            }
            service.stop();
            deleteTree(profile);
        }
    }

    @Test
    void theUsageAndSessionsViewsShowWhatStorageKeptAndARequestFiltersTheTimeline() throws Exception {
        requireChromium();
        System.setProperty("SE_AVOID_STATS", "true");
        Path profile = Files.createTempDirectory("ncp-chromium");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        WebDriver browser = null;
        try (var h = ProxyHarness.start(Map.of("NCP_UPSTREAM_RPM", "10"))) {
            String session = java.util.UUID.randomUUID().toString();
            h.upstream().enqueue(Script.fixture("text-stop-usage-last.sse"))
                    .enqueue(Script.fixture("text-then-tool-call.sse"))
                    .enqueue(Script.fixture("text-stop-usage-last.sse"));
            for (String model : List.of("claude-opus-4-7", "claude-opus-4-7", "claude-haiku-4-5")) {
                h.client().messages().create(MessageCreateParams.builder().model(model).maxTokens(64)
                        .addUserMessage("Hi").putAdditionalHeader(SessionIds.HEADER, session).build());
            }
            browser = new ChromeDriver(service, options(profile));
            browser.get(h.baseUrl() + "/dashboard/stream#usage");
            var wait = waitOn(browser);
            wait.until(b -> b.findElement(By.id("connection")).getText().equals("live"));
            // Usage comes from the storage engine: the three requests ended before the page was opened.
            List<String> byKey = wait.until(b -> rowCells(b, "#usage-keys tbody tr", "local"));
            assertEquals("3", byKey.get(1), byKey.toString());
            List<String> byModel = wait.until(b -> rowCells(b, "#usage-models tbody tr", UPSTREAM_MODEL));
            assertTrue(Integer.parseInt(byModel.get(1)) >= 1, byModel.toString());
            assertTrue(Long.parseLong(byKey.get(2).replace(",", "")) > 0, "input tokens: " + byKey);
            browser.findElement(By.cssSelector(".ranges button[data-range='week']")).click();
            wait.until(b -> b.findElement(By.id("usage-range-text")).getText().equals("the last week"));
            wait.until(b -> rowCells(b, "#usage-keys tbody tr", "local"));
            screenshot(browser, "dashboard-usage.png");

            browser.navigate().refresh(); // the view and its figures survive a reload
            wait.until(b -> b.findElement(By.id("connection")).getText().equals("live"));
            assertEquals("3", wait.until(b -> rowCells(b, "#usage-keys tbody tr", "local")).get(1));

            browser.findElement(By.cssSelector(".tab[data-view='sessions']")).click();
            List<String> sessionRow = wait.until(b -> rowCells(b, "#sessions tbody tr", session));
            assertEquals("3", sessionRow.get(1), sessionRow.toString());
            assertTrue(sessionRow.get(5).contains(UPSTREAM_MODEL), sessionRow.toString());
            screenshot(browser, "dashboard-sessions.png");

            browser.findElement(By.cssSelector(".tab[data-view='live']")).click();
            h.upstream().enqueue(Script.fixture("text-stop-usage-last.sse"))
                    .enqueue(Script.fixture("text-then-tool-call.sse"));
            h.client().messages().create(MessageCreateParams.builder().model("claude-opus-4-7").maxTokens(64)
                    .addUserMessage("Hi").build());
            h.client().messages().create(MessageCreateParams.builder().model("claude-haiku-4-5").maxTokens(64)
                    .addUserMessage("Hi").build());
            // This minute's upstream calls as the gate counted them (a minute may have turned since the first three).
            String gauge = wait.until(b -> {
                String text = b.findElement(By.cssSelector("#upstreams li[data-upstream='default']")).getText();
                return text.matches("(?s).*[1-5]/10 RPM · 0 queued.*") ? text : null;
            });
            assertTrue(gauge.startsWith("default"), gauge);
            // The bus hands a new subscriber its recent events too: the table may list the first three as well.
            wait.until(b -> b.findElements(By.cssSelector("#requests tbody tr")).size() >= 2);
            // The table re-renders as events arrive: a row found a moment ago may be gone; find it again then.
            String id = wait.ignoring(StaleElementReferenceException.class).until(b -> {
                WebElement row = b.findElement(By.cssSelector("#requests tbody tr"));
                String rowId = row.getAttribute("data-request");
                row.click();
                return rowId;
            });
            wait.until(b -> b.findElement(By.id("filter")).isDisplayed());
            List<WebElement> shown = browser.findElements(By.cssSelector("#timeline li:not(.filtered)"));
            assertFalse(shown.isEmpty());
            assertTrue(shown.stream().allMatch(e -> id.equals(e.getAttribute("data-request"))),
                    "only the clicked request's events");
            assertTrue(browser.findElements(By.cssSelector("#timeline li.filtered")).size() > 0);
            screenshot(browser, "dashboard-live-filtered.png");
            browser.findElement(By.id("filter-clear")).click();
            wait.until(b -> b.findElements(By.cssSelector("#timeline li.filtered")).isEmpty());
        } finally {
            if (browser != null) {
                browser.quit();
            }
            service.stop();
            deleteTree(profile);
        }
    }

    /** The cells of the first row of {@code rows} whose first cell is {@code first}, or null while there is none. */
    private static List<String> rowCells(WebDriver browser, String rows, String first) {
        return browser.findElements(By.cssSelector(rows)).stream()
                .map(r -> r.findElements(By.tagName("td")).stream().map(WebElement::getText).toList())
                .filter(r -> !r.isEmpty() && r.get(0).equals(first)).findFirst().orElse(null);
    }

    private static void screenshot(WebDriver browser, String name) throws IOException {
        Path file = SCREENSHOT.resolveSibling(name);
        Files.createDirectories(file.getParent());
        Files.write(file, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
        assertTrue(Files.size(file) > 10_000, "screenshot " + file + " looks empty");
    }

    /** The bus counters are in a closed details panel: a user opens it to read them. */
    private static void openBusDetails(WebDriver browser) {
        browser.findElement(By.cssSelector("#bus-details summary")).click();
    }

    /**
     * Waits up to {@link #WAIT}. The page redraws its table and breaker list (every second, and on each status
     * message): an element found a moment ago may be gone, so a condition is tried again instead of failing.
     */
    private static FluentWait<WebDriver> waitOn(WebDriver browser) {
        return new WebDriverWait(browser, WAIT).ignoring(StaleElementReferenceException.class);
    }

    /** A dashboard token asked for with the proxy key, as a user (or {@code ncp}) does before opening the page. */
    private static String dashboardUrl(ProxyHarness h) throws Exception {
        try (var http = HttpClient.newHttpClient()) {
            HttpResponse<String> issued = http.send(HttpRequest.newBuilder(URI.create(h.baseUrl()
                            + "/v1/ncp/dashboard-token")).header("x-api-key", ProxyHarness.CLIENT_KEY)
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, issued.statusCode(), issued.body());
            return new ObjectMapper().readTree(issued.body()).path("url").asText();
        }
    }

    /** Breaker name → state as the panel lists them, or null until it lists {@code count}. */
    private static Map<String, String> breakerStates(WebDriver browser, int count) {
        List<WebElement> items = browser.findElements(By.cssSelector("#breakers li[data-breaker]"));
        if (items.size() != count) {
            return null;
        }
        Map<String, String> states = new TreeMap<>();
        for (WebElement item : items) {
            states.put(item.getAttribute("data-breaker"), item.findElement(By.className("state")).getText());
        }
        return states;
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
