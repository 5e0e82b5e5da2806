package io.syncfanout.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.syncfanout.testing.Invoke;
import io.syncfanout.testing.LogCapture;
import io.syncfanout.testing.PubNubStandIn;
import io.syncfanout.testing.Published;
import io.syncfanout.testing.SqsEvents;
import io.syncfanout.testing.Updates;

/**
 * Whatever a producer puts in a record, that record alone is reported failed, named by its
 * messageId with a clear reason, its valid neighbours are published, and the invocation never
 * fails as a whole.
 */
@QuarkusTest
@QuarkusTestResource(value = PubNubStandIn.class, restrictToAnnotatedClass = true)
class HostileInputTest {

    @PubNubStandIn.StandIn
    WireMockServer pubnub;

    private static final String OK = "\"type\":\"watchlist_update\",\"device_id\":\"d\",\"timestamp\":7,\"operation\":\"Add\","
            + "\"content_id\":\"c\",\"unique_tag\":\"t\"";
    private static final String PROGRESS = "\"user_id\":\"u\",\"type\":\"progress_update\",\"device_id\":\"d\",\"timestamp\":7,"
            + "\"content_id\":\"c\",\"state\":\"Playing\"";

    /** Each hostile body, by what is wrong with it. */
    static Map<String, String> hostile() {
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("not JSON", "hello world");
        cases.put("empty body", "");
        cases.put("only whitespace", "   \n\t ");
        cases.put("truncated JSON", "{\"user_id\":\"u\",");
        cases.put("JSON array", "[{\"user_id\":\"u\"}]");
        cases.put("JSON string", "\"user_id\"");
        cases.put("JSON number", "42");
        cases.put("JSON null", "null");
        cases.put("two objects", "{\"a\":1}{\"b\":2}");
        cases.put("XML", "<update user='u'/>");
        cases.put("duplicated key", "{\"user_id\":\"u\",\"user_id\":\"v\"," + OK + "}");
        cases.put("missing user_id", "{" + OK + "}");
        cases.put("user_id number", "{\"user_id\":12," + OK + "}");
        cases.put("user_id object", "{\"user_id\":{\"id\":\"u\"}," + OK + "}");
        cases.put("user_id empty", "{\"user_id\":\"\"," + OK + "}");
        cases.put("user_id 83 characters", "{\"user_id\":\"" + "u".repeat(83) + "\"," + OK + "}");
        for (String forbidden : List.of(".", ",", ":", "*", "/", "\\\\", " ", "\\t", "\\n", "\\u0000", "\\u007f", "\\u2028")) {
            cases.put("user_id with " + forbidden, "{\"user_id\":\"a" + forbidden + "b\"," + OK + "}");
        }
        cases.put("user_id lone surrogate", "{\"user_id\":\"a\\uD83D\"," + OK + "}");
        cases.put("missing type", "{\"user_id\":\"u\",\"device_id\":\"d\",\"timestamp\":1}");
        cases.put("unknown type", "{\"user_id\":\"u\",\"type\":\"delete_account\",\"device_id\":\"d\",\"timestamp\":1}");
        cases.put("type in capitals", "{\"user_id\":\"u\",\"type\":\"WATCHLIST_UPDATE\",\"device_id\":\"d\",\"timestamp\":1}");
        cases.put("device_id 129 characters", "{\"user_id\":\"u\",\"type\":\"watchlist_update\",\"device_id\":\"" + "d".repeat(129)
                + "\",\"timestamp\":1}");
        cases.put("timestamp string", "{\"user_id\":\"u\",\"type\":\"watchlist_update\",\"device_id\":\"d\",\"timestamp\":\"1\"}");
        cases.put("timestamp float", "{\"user_id\":\"u\",\"type\":\"watchlist_update\",\"device_id\":\"d\",\"timestamp\":1.5}");
        cases.put("timestamp exponent", "{\"user_id\":\"u\",\"type\":\"watchlist_update\",\"device_id\":\"d\",\"timestamp\":1e3}");
        cases.put("timestamp zero", "{\"user_id\":\"u\",\"type\":\"watchlist_update\",\"device_id\":\"d\",\"timestamp\":0}");
        cases.put("timestamp negative", "{\"user_id\":\"u\",\"type\":\"watchlist_update\",\"device_id\":\"d\",\"timestamp\":-9}");
        cases.put("timestamp past 64 bits", "{\"user_id\":\"u\",\"type\":\"watchlist_update\",\"device_id\":\"d\",\"timestamp\":"
                + "99999999999999999999999}");
        cases.put("operation lower case", "{\"user_id\":\"u\",\"type\":\"watchlist_update\",\"device_id\":\"d\",\"timestamp\":1,"
                + "\"operation\":\"add\",\"content_id\":\"c\",\"unique_tag\":\"t\"}");
        cases.put("content_id 257 characters", "{\"user_id\":\"u\",\"type\":\"watchlist_update\",\"device_id\":\"d\",\"timestamp\":1,"
                + "\"operation\":\"Add\",\"content_id\":\"" + "c".repeat(257) + "\",\"unique_tag\":\"t\"}");
        cases.put("missing unique_tag", "{\"user_id\":\"u\",\"type\":\"watchlist_update\",\"device_id\":\"d\",\"timestamp\":1,"
                + "\"operation\":\"Add\",\"content_id\":\"c\"}");
        cases.put("position past uint32", "{" + PROGRESS + ",\"position_seconds\":4294967296,\"duration_seconds\":1}");
        cases.put("duration negative", "{" + PROGRESS + ",\"position_seconds\":1,\"duration_seconds\":-1}");
        cases.put("position as string", "{" + PROGRESS + ",\"position_seconds\":\"1\",\"duration_seconds\":1}");
        cases.put("state 33 characters", "{\"user_id\":\"u\",\"type\":\"progress_update\",\"device_id\":\"d\",\"timestamp\":7,"
                + "\"content_id\":\"c\",\"state\":\"" + "s".repeat(33) + "\",\"position_seconds\":1,\"duration_seconds\":1}");
        cases.put("message_id number", "{\"user_id\":\"u\",\"message_id\":5," + OK + "}");
        cases.put("message_id 129 characters", "{\"user_id\":\"u\",\"message_id\":\"" + "m".repeat(129) + "\"," + OK + "}");
        cases.put("sent_at 257 characters", "{\"user_id\":\"u\",\"sent_at\":\"" + "s".repeat(257) + "\"," + OK + "}");
        cases.put("operation_type 257 characters", "{\"user_id\":\"u\",\"operation_type\":\"" + "o".repeat(257) + "\"," + OK + "}");
        cases.put("operation_type null", "{\"user_id\":\"u\",\"operation_type\":null," + OK + "}");
        cases.put("deeply nested JSON", "{\"user_id\":\"u\"," + OK + ",\"x\":" + "[".repeat(5_000) + "]".repeat(5_000) + "}");
        cases.put("item past 32 KiB", "{\"user_id\":\"u\"," + OK + ",\"poster\":\"" + "p".repeat(40_000) + "\"}");
        cases.put("body past SQS's 256 KiB", "{\"user_id\":\"u\"," + OK + ",\"blob\":\"" + "b".repeat(300_000) + "\"}");
        cases.put("NUL bytes in body", "{\"user_id\":\"u\u0000\"," + OK + "}");
        return cases;
    }

    @Test
    void eachHostileRecordFailsAloneWithItsReasonAndItsNeighboursArePublished() {
        PubNubStandIn.acknowledgeEverything(pubnub);
        SqsEvents event = SqsEvents.standard();
        Map<String, String> hostileIds = new LinkedHashMap<>();
        List<String> validUsers = new ArrayList<>();
        int n = 0;
        for (Map.Entry<String, String> hostile : hostile().entrySet()) {
            String user = "neighbour-" + n++ + (n % 5 == 0 ? "-🎬-שלום" : "");
            validUsers.add("user." + user + ".sync");
            event.add(Updates.watchlist(user, "film", "Add", n));
            hostileIds.put(event.add(hostile.getValue()), hostile.getKey());
        }
        assertTrue(hostileIds.size() >= 40, hostileIds.size() + " cases");

        List<String> failed;
        List<String> lines;
        try (LogCapture log = new LogCapture()) {
            failed = io.syncfanout.fanout.FanoutTest.sorted(Invoke.failedIds(event));
            lines = log.lines();
        }

        assertEquals(List.copyOf(hostileIds.keySet()), failed, "exactly the hostile records are reported");
        for (Map.Entry<String, String> hostile : hostileIds.entrySet()) {
            String prefix = "record " + hostile.getKey() + " rejected: ";
            String line = lines.stream().filter(l -> l.contains(prefix)).findFirst()
                    .orElseThrow(() -> new AssertionError(hostile.getValue() + ": no log line names " + hostile.getKey()));
            String reason = line.substring(line.indexOf(prefix) + prefix.length());
            assertTrue(reason.length() > 10 && reason.length() < 300, hostile.getValue() + ": reason '" + reason + "'");
        }
        Set<String> channels = Published.distinct(pubnub).stream().map(Published::channel).collect(Collectors.toSet());
        assertEquals(Set.copyOf(validUsers), channels, "every valid neighbour is published");
    }
}
