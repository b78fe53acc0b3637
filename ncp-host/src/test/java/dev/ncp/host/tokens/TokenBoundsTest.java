package dev.ncp.host.tokens;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.knuddels.jtokkit.api.Encoding;
import dev.ncp.host.anthropic.Fixtures;
import dev.ncp.host.anthropic.MessagesRequest;
import dev.ncp.host.translate.Translation;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The bounds {@link TokenEstimator#start} gives at once hold the exact estimate between them. */
class TokenBoundsTest {

    @Test
    void boundsHoldTheExactEstimateOfEveryRecordedClaudeCodeRequest() {
        for (String name : Fixtures.messageRequests()) {
            var estimator = new TokenEstimator(Fixtures.JSON); // fresh: no text's count remembered
            MessagesRequest request = Translation.PARSER.parse(Fixtures.body(name));
            InputTokens input = estimator.start(request);
            int lower = input.lower();
            int upper = input.upper();
            int exact = estimator.estimate(request);
            assertTrue(lower <= exact && exact <= upper, name + ": " + lower + " <= " + exact + " <= " + upper);
            assertEquals(exact, input.exact(), name);
        }
    }

    @Test
    void boundsMeetAtTheExactCountOnceEveryTextIsRemembered() {
        var estimator = new TokenEstimator(Fixtures.JSON);
        MessagesRequest request = Translation.PARSER.parse(Fixtures.body("opus-default--001-POST-v1-messages.json"));
        int exact = estimator.estimate(request);
        InputTokens again = estimator.start(Translation.PARSER.parse(
                Fixtures.body("opus-default--001-POST-v1-messages.json")));
        // Short texts are never remembered; the large ones (system prompt, tool schemas) are.
        assertTrue(again.upper() - again.lower() < exact / 4, again + " vs " + exact);
        assertEquals(exact, again.exact());
    }

    @Test
    void boundsHoldForEveryKindOfBlock() {
        var estimator = new TokenEstimator(Fixtures.JSON);
        MessagesRequest request = Translation.parse(Translation.withMessages("[{\"role\":\"user\",\"content\":["
                + "{\"type\":\"container_upload\",\"file_id\":\"f1\"},{\"type\":\"brand_new_block\"},"
                + "{\"type\":\"image\",\"source\":{\"type\":\"base64\",\"media_type\":\"image/png\","
                + "\"data\":\"iVBORw0KGgo=\"}},"
                + "{\"type\":\"document\",\"title\":\"Notes\",\"source\":{\"type\":\"text\","
                + "\"media_type\":\"text/plain\",\"data\":\"Ship it on Tuesday. 火曜日に出荷 🚀\"}},"
                + "{\"type\":\"text\",\"text\":\"hi\"}]},"
                + "{\"role\":\"assistant\",\"content\":[{\"type\":\"server_tool_use\",\"id\":\"srvtoolu_1\","
                + "\"name\":\"web_search\",\"input\":{\"query\":\"ai\"}},{\"type\":\"web_search_tool_result\","
                + "\"tool_use_id\":\"srvtoolu_1\",\"content\":[{\"type\":\"web_search_result\",\"title\":\"T\","
                + "\"url\":\"https://t\",\"encrypted_content\":\"x\"}]},"
                + "{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"Bash\",\"input\":{\"command\":"
                + "\"grep -rn \\\"näive\\\" src/ | head\",\"timeout\":120000,\"flags\":[true,null,1.5e-3]}}]},"
                + "{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_1\","
                + "\"content\":\"src/A.java:3: näive\"}]}]"));
        InputTokens input = estimator.start(request);
        int lower = input.lower();
        int upper = input.upper();
        int exact = estimator.estimate(request);
        assertTrue(lower <= exact && exact <= upper, lower + " <= " + exact + " <= " + upper);
    }

    @Test
    void textBoundsHoldForRandomProseCodeCjkAndEmoji() {
        var estimator = new TokenEstimator(Fixtures.JSON);
        TokenBounds bounds = new TokenBounds(t -> null, t -> null, u -> Integer.MAX_VALUE);
        String[] alphabets = {
            "abcdefghijklmnopqrstuvwxyz     ,.ETAOIN\n",
            "{}()[];=<>+-*/&|!\"'\\\t\n    _fooBarbaz0123456789",
            "的一是不了人我在有他这为之大来以个中上们日本語のテキスト한국어",
            "😀🎉👍🏽🇯🇵✨🧑‍💻 ",
            "      \t\n\n",
            "\u0000\u0001\u007f\u0080\u07ff\u0800\uffff",
        };
        var random = new Random(3);
        for (int round = 0; round < 400; round++) {
            var text = new StringBuilder();
            int length = random.nextInt(3000);
            while (text.length() < length) {
                String alphabet = alphabets[random.nextInt(alphabets.length)];
                int run = 1 + random.nextInt(40);
                for (int i = 0; i < run; i++) {
                    int at = random.nextInt(alphabet.length());
                    // whole code points: jtokkit refuses a lone surrogate (not UTF-8)
                    int end = at + Character.charCount(alphabet.codePointAt(at));
                    if (!Character.isLowSurrogate(alphabet.charAt(at))) {
                        text.append(alphabet, at, end);
                    }
                }
            }
            String s = text.toString();
            int exact = estimator.countText(s);
            TokenBounds.Range range = bounds.text(s);
            assertTrue(range.lower() <= exact && exact <= range.upper(),
                    "round " + round + ": " + range + " vs " + exact);
        }
    }

    @Test
    void theLowerBoundHoldsForTheLongestTokensOfTheVocabulary() {
        var estimator = new TokenEstimator(Fixtures.JSON);
        String spaces = " ".repeat(10_000);
        String equals = "=".repeat(10_000);
        for (String s : new String[] {spaces, equals, "-".repeat(10_000), "\n".repeat(10_000)}) {
            int exact = estimator.countText(s);
            assertTrue(new TokenBounds(t -> null, t -> null, u -> 0).text(s).lower() <= exact, s.charAt(0) + ": "
                    + exact);
        }
    }

    @Test
    void noCl100kTokenIsLongerThanTheLowerBoundAssumes() throws IOException {
        int longest = 0;
        try (InputStream in = Encoding.class.getResourceAsStream("/com/knuddels/jtokkit/cl100k_base.tiktoken");
             var lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII))) {
            String line;
            while ((line = lines.readLine()) != null) {
                longest = Math.max(longest, Base64.getDecoder().decode(line.substring(0, line.indexOf(' '))).length);
            }
        }
        assertEquals(TokenBounds.LONGEST_TOKEN_BYTES, longest);
    }

    @Test
    void aStartedCountIsTheEstimateAndLeavesTheBoundsOnceDone() {
        var estimator = new TokenEstimator(Fixtures.JSON);
        MessagesRequest request = Translation.parse(Translation.withMessages(
                "[{\"role\":\"user\",\"content\":\"" + "Summarise the design of a proxy. ".repeat(20) + "\"}]"));
        InputTokens input = estimator.start(request);
        int exact = input.exact();
        assertEquals(estimator.estimate(request), exact);
        assertEquals(exact, input.lower());
        assertEquals(exact, input.upper());
        assertFalse(input.toString().contains(".."));
    }
}
