package dev.ncp.host.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** {@code ncp usage}'s table: grouped columns left, sums right-aligned, a total line under several rows. */
class UsageTableTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void rowsOfAReportAreATableWithATotal() throws Exception {
        String report = """
                {"data":[
                  {"principal":"alice","model":"qwen/qwen3-coder-480b-a35b-instruct","requests":4,"input_tokens":10840,
                   "output_tokens":158,"cache_read_input_tokens":0,"errors":0,"avg_latency_ms":322,"avg_first_token_ms":308},
                  {"principal":"bob","model":"qwen/qwen3-coder-480b-a35b-instruct","requests":2,"input_tokens":5420,
                   "output_tokens":79,"cache_read_input_tokens":12,"errors":1,"avg_latency_ms":28,"avg_first_token_ms":null}],
                 "from":"2026-12-06T19:00:00Z","to":"2026-12-07T19:00:00Z","group_by":["principal","model"]}
                """;
        assertEquals("""
                Usage from 2026-12-06T19:00:00Z to 2026-12-07T19:00:00Z
                principal  model                                requests  input  output  cache read  errors  avg ms  avg ttft ms
                alice      qwen/qwen3-coder-480b-a35b-instruct         4  10840     158           0       0     322          308
                bob        qwen/qwen3-coder-480b-a35b-instruct         2   5420      79          12       1      28            -
                total                                                  6  16260     237          12       1
                """, UsageTable.render(JSON.readTree(report)));
    }

    @Test
    void anEmptyRangeSaysSo() throws Exception {
        assertEquals("Usage from a to b\nNo requests in this range.\n", UsageTable.render(JSON.readTree(
                "{\"data\":[],\"from\":\"a\",\"to\":\"b\",\"group_by\":[]}")));
    }
}
