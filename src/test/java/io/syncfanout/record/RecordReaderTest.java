package io.syncfanout.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class RecordReaderTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final RecordReader reader = new RecordReader();

    private static final String WATCHLIST = "{\"user_id\":\"u1\",\"type\":\"watchlist_update\",\"device_id\":\"phone\","
            + "\"timestamp\":115648372326400001,\"operation\":\"Add\",\"content_id\":\"movie-1\",\"unique_tag\":\"t1\"}";
    private static final String PROGRESS = "{\"user_id\":\"u1\",\"type\":\"progress_update\",\"device_id\":\"tv\",\"timestamp\":5,"
            + "\"content_id\":\"movie-1\",\"position_seconds\":4294967295,\"duration_seconds\":0,\"state\":\"Paused\"}";

    private ReadResult read(String body) {
        return reader.read(new SqsRecord(0, "sqs-id-1", null, body));
    }

    private JsonNode item(String body) throws Exception {
        SyncItem item = assertInstanceOf(SyncItem.class, read(body), () -> ((InvalidRecord) read(body)).reason());
        return JSON.readTree(new String(item.json(), StandardCharsets.UTF_8));
    }

    @Test
    void aWatchlistUpdateBecomesAnItemWithoutUserIdAndWithIdsFilledIn() throws Exception {
        SyncItem item = (SyncItem) read(WATCHLIST);
        assertEquals("user.u1.sync", item.channel());
        assertEquals("sqs-id-1", item.messageId());
        assertEquals(115648372326400001L, item.timestamp());
        JsonNode json = item(WATCHLIST);
        assertTrue(!json.has("user_id"));
        assertEquals("sqs-id-1", json.path("message_id").asText());
        assertEquals("watchlist_add", json.path("operation_type").asText());
        assertEquals(115648372326400001L, json.path("timestamp").asLong());
    }

    @Test
    void producersIdsAndUnknownFieldsPassThrough() throws Exception {
        JsonNode json = item(WATCHLIST.replace("{", "{\"message_id\":\"p-1\",\"operation_type\":\"custom_op\","
                + "\"sent_at\":\"2026-11-27T10:00:00.123Z\",\"extra\":{\"nested\":[1,2]},"));
        assertEquals("p-1", json.path("message_id").asText());
        assertEquals("custom_op", json.path("operation_type").asText());
        assertEquals("2026-11-27T10:00:00.123Z", json.path("sent_at").asText());
        assertEquals("[1,2]", json.path("extra").path("nested").toString());
    }

    /**
     * A reason names the field and the rule, never what the body held there: reasons reach the log, and a
     * body is the user's data. The marker stands where each rule is broken, in every shape the reader refuses.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "unknown type         | \"watchlist_update\"     | \"Zq7marker\"",
            "bad operation        | \"Add\"                  | \"Zq7marker\"",
            "unquoted token       | \"Add\"                  | Zq7marker",
            "broken string        | \"Add\"                  | \"Zq7marker",
            "broken escape        | \"Add\"                  | \"\\Zq7marker\"",
            "timestamp too big    | 115648372326400001        | 3141592653589793238462643383279",
            "timestamp negative   | 115648372326400001        | -314159265358979",
            "a duplicated field   | \"device_id\"            | \"Zq7marker\":1,\"Zq7marker\"",
            "content after object | '\"t1\"}'                | '\"t1\"} Zq7marker'",
            "too deep             | \"t1\"                   | [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[Zq7marker",
    })
    void aReasonNeverQuotesTheBody(String what, String from, String to) {
        String body = WATCHLIST.replace(from, to);
        InvalidRecord invalid = assertInstanceOf(InvalidRecord.class, read(body), what);
        for (String secret : List.of("Zq7marker", "314159265358979")) {
            assertFalse(invalid.reason().contains(secret), what + ": the reason quotes the body: '" + invalid.reason() + "'");
        }
    }

    @Test
    void aProgressFieldOutOfRangeIsNamedWithoutItsValue() {
        InvalidRecord invalid = assertInstanceOf(InvalidRecord.class, read(PROGRESS.replace("4294967295", "31415926535")));
        assertEquals("position_seconds is above 4294967295; expected 0 to 4294967295", invalid.reason());
    }

    /** Amendment 16: extra fields may nest 1,000 levels and hold numbers of 1,000 characters; no more. */
    @Test
    void bodiesWithinTheParsersLimitsPassThroughAndBeyondThemAreInvalidWithThatReason() throws Exception {
        String deep = "[".repeat(999) + "]".repeat(999);
        String digits = "9".repeat(1_000);
        SyncItem item = assertInstanceOf(SyncItem.class, read(WATCHLIST.replace("{", "{\"extra\":" + deep + ",\"big\":" + digits + ",")),
                () -> ((InvalidRecord) read(WATCHLIST.replace("{", "{\"extra\":" + deep + ",\"big\":" + digits + ","))).reason());
        String published = new String(item.json(), StandardCharsets.UTF_8);
        assertTrue(published.contains("\"extra\":" + deep) && published.contains("\"big\":" + digits), "passed through as sent");

        String tooDeep = "[".repeat(1_000) + "]".repeat(1_000);
        InvalidRecord deeper = assertInstanceOf(InvalidRecord.class, read(WATCHLIST.replace("{", "{\"extra\":" + tooDeep + ",")));
        assertTrue(deeper.reason().contains("it nests deeper than the parser's limit of 1,000 levels"), deeper.reason());
        InvalidRecord longer = assertInstanceOf(InvalidRecord.class, read(WATCHLIST.replace("{", "{\"big\":" + digits + "9,")));
        assertTrue(longer.reason().contains("a number is longer than the parser's limit of 1,000 characters"), longer.reason());
    }

    @Test
    void removeAndProgressGetTheirDefaultOperationTypes() throws Exception {
        assertEquals("watchlist_remove", item(WATCHLIST.replace("\"Add\"", "\"Remove\"")).path("operation_type").asText());
        assertEquals("progress_update", item(PROGRESS).path("operation_type").asText());
    }

    @Test
    void limitsAreInclusive() throws Exception {
        item(WATCHLIST.replace("\"u1\"", "\"" + "u".repeat(82) + "\""));
        item(WATCHLIST.replace("\"phone\"", "\"" + "d".repeat(128) + "\""));
        item(WATCHLIST.replace("\"movie-1\"", "\"" + "c".repeat(256) + "\""));
        item(WATCHLIST.replace("\"u1\"", "\"" + "😀".repeat(82) + "\"")); // characters, not UTF-16 units
        item(PROGRESS.replace("\"Paused\"", "\"" + "s".repeat(32) + "\""));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "not JSON                 | hello                                   | body is not valid JSON",
            "empty body               | ''                                      | body is empty",
            "an array                 | [1,2]                                   | body is an array; expected a JSON object",
            "a string                 | '\"x\"'                                 | body is a string; expected a JSON object",
            "trailing content         | '{\"a\":1} {\"b\":2}'                   | body has content after the JSON object",
            "duplicated key           | '{\"user_id\":\"a\",\"user_id\":\"b\"}' | body is not valid JSON: an object has the same field twice (line 1, column",
            "no user_id               | '{\"type\":\"watchlist_update\"}'       | user_id is missing",
            "user_id a number         | '{\"user_id\":7}'                       | user_id is an integer; expected a string",
            "user_id null             | '{\"user_id\":null}'                    | user_id is null; expected a string",
            "user_id empty            | '{\"user_id\":\"\"}'                    | user_id is empty",
            "user_id with dot         | '{\"user_id\":\"a.b\"}'                 | user_id contains '.' (not allowed in a PubNub channel name)",
            "user_id with comma       | '{\"user_id\":\"a,b\"}'                 | user_id contains ','",
            "user_id with colon       | '{\"user_id\":\"a:b\"}'                 | user_id contains ':'",
            "user_id with star        | '{\"user_id\":\"a*\"}'                  | user_id contains '*'",
            "user_id with slash       | '{\"user_id\":\"a/b\"}'                 | user_id contains '/'",
            "user_id with backslash   | '{\"user_id\":\"a\\\\b\"}'              | user_id contains '\\'",
            "user_id with space       | '{\"user_id\":\"a b\"}'                 | user_id contains whitespace (U+0020)",
            "user_id with tab         | '{\"user_id\":\"a\\tb\"}'               | user_id contains whitespace (U+0009)",
            "user_id with NUL         | '{\"user_id\":\"a\\u0000b\"}'           | user_id contains a control character (U+0000)",
            "user_id with no-break sp | '{\"user_id\":\"a\\u00a0b\"}'           | user_id contains whitespace (U+00A0)",
            "user_id with DEL         | '{\"user_id\":\"a\\u007fb\"}'           | user_id contains a control character (U+007F)",
            "user_id with line sep    | '{\"user_id\":\"a\\u2028b\"}'           | user_id contains whitespace (U+2028)",
            "user_id lone surrogate   | '{\"user_id\":\"a\\ud800\"}'            | user_id contains an unpaired surrogate (U+D800)",
            "unknown type             | '{\"user_id\":\"a\",\"type\":\"x\"}'    | type is another string; expected 'watchlist_update' or 'progress_update'",
            "no device_id             | '{\"user_id\":\"a\",\"type\":\"progress_update\"}' | device_id is missing",
            "no timestamp             | '{\"user_id\":\"a\",\"type\":\"progress_update\",\"device_id\":\"d\"}' | timestamp is missing",
            "timestamp a string       | '{\"user_id\":\"a\",\"type\":\"progress_update\",\"device_id\":\"d\",\"timestamp\":\"5\"}' | timestamp is a string; expected an integer",
            "timestamp a decimal      | '{\"user_id\":\"a\",\"type\":\"progress_update\",\"device_id\":\"d\",\"timestamp\":5.5}' | timestamp is a decimal number",
            "timestamp zero           | '{\"user_id\":\"a\",\"type\":\"progress_update\",\"device_id\":\"d\",\"timestamp\":0}' | timestamp is zero; expected a positive integer",
            "timestamp negative       | '{\"user_id\":\"a\",\"type\":\"progress_update\",\"device_id\":\"d\",\"timestamp\":-1}' | timestamp is negative; expected a positive integer",
            "timestamp past 64 bits   | '{\"user_id\":\"a\",\"type\":\"progress_update\",\"device_id\":\"d\",\"timestamp\":9223372036854775808}' | timestamp is out of range (19 characters); expected a signed 64-bit integer",
    })
    void rejectsWithAReasonThatSaysWhat(String what, String body, String reason) {
        InvalidRecord invalid = assertInstanceOf(InvalidRecord.class, read(body), what);
        assertTrue(invalid.reason().contains(reason), what + ": got '" + invalid.reason() + "'");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "user_id too long   | \"u1\"        | \"uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu\" | user_id is 83 characters; at most 82 allowed",
            "bad operation      | \"Add\"       | \"add\"       | operation is another string; expected 'Add' or 'Remove' (case matters)",
            "no unique_tag      | ,\"unique_tag\":\"t1\" | ''   | unique_tag is missing",
            "content_id number  | \"movie-1\"   | 1             | content_id is an integer; expected a string",
            "message_id empty   | \"device_id\" | \"message_id\":\"\",\"device_id\" | message_id is empty",
            "sent_at a number   | \"device_id\" | \"sent_at\":1764237600,\"device_id\" | sent_at is an integer; expected a string",
    })
    void rejectsWatchlistFieldsThatBreakTheirRules(String what, String from, String to, String reason) {
        InvalidRecord invalid = assertInstanceOf(InvalidRecord.class, read(WATCHLIST.replace(from, to)), what);
        assertTrue(invalid.reason().contains(reason), what + ": got '" + invalid.reason() + "'");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "position past uint32  | 4294967295 | 4294967296 | position_seconds is above 4294967295; expected 0 to 4294967295",
            "duration negative     | \"duration_seconds\":0 | \"duration_seconds\":-1 | duration_seconds is negative; expected 0 to 4294967295",
            "duration decimal      | \"duration_seconds\":0 | \"duration_seconds\":1.5 | duration_seconds is a decimal number; expected an integer",
            "state too long        | \"Paused\"   | \"PausedPausedPausedPausedPausedPau\" | state is 33 characters; at most 32 allowed",
            "no content_id         | \"content_id\":\"movie-1\", | '' | content_id is missing",
    })
    void rejectsProgressFieldsThatBreakTheirRules(String what, String from, String to, String reason) {
        InvalidRecord invalid = assertInstanceOf(InvalidRecord.class, read(PROGRESS.replace(from, to)), what);
        assertTrue(invalid.reason().contains(reason), what + ": got '" + invalid.reason() + "'");
    }

    @Test
    void deeplyNestedJsonIsRejectedNotAStackOverflow() {
        String deep = "{\"x\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}";
        InvalidRecord invalid = assertInstanceOf(InvalidRecord.class, read(deep));
        assertTrue(invalid.reason().startsWith("body is not valid JSON"), invalid.reason());
    }

    @Test
    void aMissingBodyIsInvalid() {
        assertInstanceOf(InvalidRecord.class, read(null));
    }

    @Test
    void emojiAndRightToLeftTextInOtherFieldsPassThrough() throws Exception {
        JsonNode json = item(WATCHLIST.replace("\"movie-1\"", "\"שלום-🎬\""));
        assertEquals("שלום-🎬", json.path("content_id").asText());
    }

    @Test
    void otherFieldsPassThroughWithEveryDigitAndCodePoint() {
        // Amendment 4: value and type, exactly as sent.
        String extras = "\"price\":19.999999999999999999,\"huge\":1e400,\"negzero\":-0.0,\"big\":123456789012345678901234567890,"
                + "\"exp\":1.5E-7,\"nested\":{\"n\":[0.1,2e-3,{\"deep\":-1.000}]},\"s\":\"\\u00e9\\ud83c\\udfac\\u200d\\\"q\\\"\",";
        SyncItem item = (SyncItem) read(WATCHLIST.replace("{", "{" + extras));
        String json = new String(item.json(), StandardCharsets.UTF_8);

        assertTrue(json.contains("\"price\":19.999999999999999999,"), json);
        assertTrue(json.contains("\"huge\":1e400,"), json);
        assertTrue(json.contains("\"negzero\":-0.0,"), json);
        assertTrue(json.contains("\"big\":123456789012345678901234567890,"), json);
        assertTrue(json.contains("\"exp\":1.5E-7,"), json);
        assertTrue(json.contains("\"n\":[0.1,2e-3,{\"deep\":-1.000}]"), json);
        assertTrue(json.contains("\"s\":\"é🎬\u200d\\\"q\\\"\""), json);
    }

    @Test
    void userIdsOfEveryPlaneAndWithFormatCharactersAreAccepted() throws Exception {
        // Amendment 5: a character outside the BMP is one character; format characters (Cf) are allowed.
        for (String userId : new String[] { "li\uD876\uDC00", "\uD836\uDC00x", "a\u200Db", "soft\u00ADhyphen", "rtl\u200Fmark",
                "\uD83C\uDFAC".repeat(82) }) {
            SyncItem item = assertInstanceOf(SyncItem.class, read(WATCHLIST.replace("\"u1\"", "\"" + userId + "\"")),
                    () -> userId + ": " + ((InvalidRecord) read(WATCHLIST.replace("\"u1\"", "\"" + userId + "\""))).reason());
            assertEquals("user." + userId + ".sync", item.channel());
        }
    }

    @Test
    void operationTypeAndSentAtAreStringsOfUpTo256CharactersWithNoFormat() throws Exception {
        String longest = "o".repeat(256);
        JsonNode json = item(WATCHLIST.replace("{", "{\"operation_type\":\"" + longest + "\",\"sent_at\":\"yesterday at noon\","));
        assertEquals(longest, json.path("operation_type").asText());
        assertEquals("yesterday at noon", json.path("sent_at").asText());
        InvalidRecord tooLong = assertInstanceOf(InvalidRecord.class, read(WATCHLIST.replace("{", "{\"sent_at\":\"" + "s".repeat(257) + "\",")));
        assertEquals("sent_at is 257 characters; at most 256 allowed", tooLong.reason());
    }
}
