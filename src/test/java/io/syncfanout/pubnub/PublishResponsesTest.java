package io.syncfanout.pubnub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PublishResponsesTest {

    private static final String PUBLISH_KEY = "pub-c-0a1b2c3d-publish";
    private static final String AUTH = "auth+token/with=special~chars";
    private final PublishResponses responses = new PublishResponses(new Redaction(List.of(PUBLISH_KEY, AUTH)));

    @Test
    void pubnubsAcknowledgementIsASuccess() {
        assertEquals("17000000000000000", responses.read(200, "[1,\"Sent\",\"17000000000000000\"]", null).timetoken());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "500 | [0,\"Internal Server Error\"]                      | Outage    | HTTP 500: Internal Server Error",
            "503 | ''                                                 | Outage    | HTTP 503: (empty body)",
            "502 | <html>Bad Gateway</html>                           | Outage    | HTTP 502: <html>Bad Gateway</html>",
            "200 | {\"status\":200}                                   | Retryable | HTTP 200 but not PubNub's acknowledgement",
            "200 | [0,\"Failed\"]                                     | Retryable | HTTP 200 but not PubNub's acknowledgement",
            "302 | ''                                                 | Retryable | HTTP 302: (empty body)",
            "429 | {\"status\":429,\"message\":\"Too Many Requests\"} | RateLimited | HTTP 429: Too Many Requests",
    })
    void retryableAnswersAndWhetherTheyAreAnOutage(int status, String body, String kind, String message) {
        PublishFailure.Retryable failure = assertThrows(PublishFailure.Retryable.class, () -> responses.read(status, body, null));
        assertEquals(kind, failure.getClass().getSimpleName(), "only 5xx is PubNub's outage; a 429 asks to slow down");
        assertTrue(failure.getMessage().startsWith(message), failure.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "400 | [0,\"Invalid JSON\"]                                        | HTTP 400: Invalid JSON",
            "403 | {\"status\":403,\"error\":true,\"message\":\"Forbidden\"} | HTTP 403: Forbidden",
            "413 | {\"status\":413,\"message\":\"Request Entity Too Large\"} | HTTP 413: Request Entity Too Large",
            "414 | [0,\"Request URI Too Long\"]                               | HTTP 414: Request URI Too Long",
    })
    void finalAnswers(int status, String body, String message) {
        PublishFailure.Rejected failure = assertThrows(PublishFailure.Rejected.class, () -> responses.read(status, body, null));
        assertEquals(message, failure.getMessage());
        assertEquals(status == 413, failure.isPayloadTooLarge());
    }

    @Test
    void retryAfterInSecondsOrAsADate() {
        assertEquals(2_000, PublishResponses.retryAfterMillis("2"));
        assertEquals(0, PublishResponses.retryAfterMillis("soon"));
        assertEquals(0, PublishResponses.retryAfterMillis("Wed, 21 Oct 2015 07:28:00 GMT"), "a date in the past: no wait");
        PublishFailure.RateLimited limited = assertThrows(PublishFailure.RateLimited.class,
                () -> responses.read(429, "[0,\"Too Many Requests\"]", "3"));
        assertEquals(3_000, limited.retryAfterMillis());
    }

    @Test
    void anErrorPageThatEchoesTheRequestLeaksNoKeyNoAuthAndNoQuery() {
        // A proxy's error page that quotes the whole request line, the key beyond the point a
        // 120-character cut would have kept it whole.
        String page = "<html><body><h1>502 Bad Gateway</h1><p>upstream failed for POST " + "x".repeat(90)
                + " /publish/" + PUBLISH_KEY + "/sub-c-9/0/user.a.sync/0?uuid=sync-fanout&auth=" + AUTH
                + "&timestamp=1764237600&signature=v2.abc_DEF-ghi</p></body></html>";

        PublishFailure failure = assertThrows(PublishFailure.Outage.class, () -> responses.read(502, page, null));

        String message = failure.getMessage();
        assertFalse(message.contains(PUBLISH_KEY.substring(0, 8)), message);
        assertFalse(message.contains("auth+token"), message);
        assertFalse(message.contains("v2.abc"), message);
        assertFalse(message.contains("uuid="), "no query string: " + message);
        assertTrue(message.length() <= "HTTP 502: ".length() + PublishResponses.MAX_QUOTED + 1, "shortened: " + message);
    }

    @Test
    void redactionCoversEveryEncodingOfAKeyAndAnyAuthOrSignatureParameter() {
        Redaction redaction = new Redaction(List.of(AUTH, PercentEncoding.encode(AUTH)));
        String text = "GET /x?auth=" + PercentEncoding.encode(AUTH) + " then signature=abc&auth=other token " + AUTH + " ok?";
        String clean = redaction.apply(text);
        assertFalse(clean.contains("auth+token") || clean.contains("auth%2Btoken") || clean.contains("abc") || clean.contains("other"), clean);
        assertTrue(clean.endsWith(" ok?"), "a question mark in prose is not a query string: " + clean);
    }

    /** Amendment 15: whatever echoes an attempt's signature back, in whatever shape, it is not quoted. */
    @Test
    void anAttemptsSignatureAndTimestampAreRedactedWhereverAnAnswerEchoesThem() {
        String signature = "v2.Zm9vYmFyYmF6cXV4LXNpZ25hdHVyZQ";
        String timestamp = "1764237600";
        PublishResponses attempt = new PublishResponses(new Redaction(List.of(PUBLISH_KEY)).withAttempt(signature, timestamp));
        for (String body : List.of(
                "{\"error\":{\"signature\":\"" + signature + "\",\"timestamp\":" + timestamp + "}}",
                "{\"message\":\"Invalid signature " + signature + " at " + timestamp + "\"}",
                "Signature: " + signature + "\nauth: token-from-the-proxy",
                "{\"request\":{\"auth\": \"tok-123456\", \"sig\": \"" + signature + "\"}}")) {
            PublishFailure.Rejected failure = assertThrows(PublishFailure.Rejected.class, () -> attempt.read(403, body, null));
            assertFalse(failure.getMessage().contains(signature) || failure.getMessage().contains(timestamp)
                    || failure.getMessage().contains("token-from-the-proxy") || failure.getMessage().contains("tok-123456"),
                    failure.getMessage());
        }
    }

    @Test
    void anAttemptsValuesShorterThanFourCharactersAreNotRedactedEverywhere() {
        // Too short to be told from ordinary text: redacting "abc" everywhere would garble every answer.
        Redaction attempt = new Redaction(List.of()).withAttempt("abc", "abcd");
        assertEquals("abc [redacted]", attempt.apply("abc abcd"));
    }

    @Test
    void shortFormsOfAnAttemptsValuesAreNotRedactedEverywhere() {
        assertEquals("AB CD", new Redaction(List.of()).withAttempt("%41%42").apply("AB CD"), "%41%42 decodes to AB: too short");
        assertEquals("x [redacted]", new Redaction(List.of()).withAttempt(null, "abcd").apply("x abcd"), "no value, nothing to redact");
    }

    @Test
    void theBackoffJittersBothWays() {
        PublishBackoff backoff = new PublishBackoff(new PublishPacing(32, Duration.ofMillis(100), Duration.ofSeconds(10)));
        long least = Long.MAX_VALUE;
        long most = 0;
        for (int i = 0; i < 200; i++) {
            backoff.init(100);
            long delay = backoff.nextDelayInMillis(new PublishFailure.Retryable("x"));
            least = Math.min(least, delay);
            most = Math.max(most, delay);
        }
        assertTrue(least < 100 && least >= 75 && most > 100 && most <= 125, "±25% around 100 ms: " + least + " to " + most);
    }

    @Test
    void aShorterPauseDuringALongerOneAddsNothing() {
        PublishPacing pacing = new PublishPacing(32, Duration.ofMillis(100), Duration.ofSeconds(10));
        pacing.rateLimited(2_000);
        pacing.rateLimited(100);
        long paused = pacing.totals().pausedMillis();
        assertTrue(paused >= 1_990 && paused <= 2_010, "held 2 s, not less: " + paused);
    }

    @Test
    void theWindowGrowsByOneAfterExactlyAWindowOfAcknowledgements() {
        PublishPacing pacing = new PublishPacing(32, Duration.ofMillis(100), Duration.ofSeconds(10));
        pacing.rateLimited(1);
        assertEquals(16, pacing.allowedInFlight());
        for (int i = 0; i < 15; i++) {
            pacing.acknowledged();
        }
        assertEquals(16, pacing.allowedInFlight(), "15 of 16");
        pacing.acknowledged();
        assertEquals(17, pacing.allowedInFlight(), "the 16th");
    }

    @Test
    void overlappingPausesAreCountedOnce() {
        PublishPacing pacing = new PublishPacing(32, Duration.ofMillis(100), Duration.ofSeconds(10));
        pacing.rateLimited(1_000);
        pacing.rateLimited(1_000);
        long paused = pacing.totals().pausedMillis();
        assertTrue(paused >= 990 && paused <= 1_100, "two 429s a moment apart hold publishing about 1 s, not 2: " + paused);
    }

    @Test
    void aRateLimitSaysHowLongItAskedFor() {
        String body = "{\"status\":429,\"message\":\"Too Many Requests\"}";
        assertTrue(assertThrows(PublishFailure.RateLimited.class, () -> responses.read(429, body, "2")).getMessage()
                .endsWith("(Retry-After 2000 ms)"));
        assertTrue(!assertThrows(PublishFailure.RateLimited.class, () -> responses.read(429, body, null)).getMessage()
                .contains("Retry-After"));
    }

    @Test
    void anErrorBodyIsQuotedUpTo120CodePointsThenCut() {
        String exactly = "é".repeat(PublishResponses.MAX_QUOTED);
        assertEquals("HTTP 502: " + exactly, assertThrows(PublishFailure.Outage.class, () -> responses.read(502, exactly, null)).getMessage());
        assertEquals("HTTP 502: " + exactly + "…",
                assertThrows(PublishFailure.Outage.class, () -> responses.read(502, exactly + "é", null)).getMessage());
    }

    @Test
    void onlyPubNubsAcknowledgementIsASuccess() {
        assertThrows(PublishFailure.Retryable.class, () -> responses.read(200, "[2,\"Sent\",\"17000000000000000\"]", null));
        assertThrows(PublishFailure.Retryable.class, () -> responses.read(200, "[\"1\",\"Sent\",\"17000000000000000\"]", null));
    }

    /** Amendment 13: Retry-After is honoured within a cap; no value stalls the function or overflows. */
    @ParameterizedTest
    @CsvSource({ "3600, 10000", "9300000000, 10000", "99999999999999999999999, 10000", "2, 2000", "0, 100" })
    void aRetryAfterIsHonouredUpToTheCap(String header, long expectedMillis) {
        PublishPacing pacing = new PublishPacing(32, Duration.ofMillis(100), Duration.ofSeconds(10));
        long retryAfter = PublishResponses.retryAfterMillis(header);
        pacing.rateLimited(retryAfter);
        long pause = pacing.pause().toMillis();
        assertTrue(pause <= expectedMillis && pause > expectedMillis - 500, header + " held publishing for " + pause + " ms");
        PublishBackoff backoff = new PublishBackoff(pacing);
        backoff.init(100);
        long delay = backoff.nextDelayInMillis(new PublishFailure.RateLimited("429", retryAfter));
        assertTrue(delay <= Math.max(expectedMillis, 125), header + ": a retry waits " + delay + " ms");
    }

    @Test
    void aRetryAfterDateIsReadAsTheTimeUntilThen() {
        String inFiveSeconds = java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME
                .format(java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).plusSeconds(5));
        long millis = PublishResponses.retryAfterMillis(inFiveSeconds);
        assertTrue(millis > 3_000 && millis <= 5_000, inFiveSeconds + " is " + millis + " ms away");
    }

    @Test
    void backoffGrowsFromTheConfiguredDelayAndHonoursRetryAfter() {
        PublishBackoff backoff = new PublishBackoff(new PublishPacing(32, Duration.ofMillis(100), Duration.ofSeconds(10)));
        backoff.init(100);
        long first = backoff.nextDelayInMillis(new PublishFailure.Retryable("x"));
        long second = backoff.nextDelayInMillis(new PublishFailure.Outage("x"));
        long third = backoff.nextDelayInMillis(new PublishFailure.RateLimited("x", 5_000));
        assertTrue(first >= 75 && first <= 125, "first " + first);
        assertTrue(second >= 150 && second <= 250, "second " + second);
        assertEquals(5_000, third);
    }

    @Test
    void noRetryStartsWhileA429HoldsTheWholeFunction() {
        PublishPacing pacing = new PublishPacing(32, Duration.ofMillis(100), Duration.ofSeconds(10));
        PublishBackoff backoff = new PublishBackoff(pacing);
        backoff.init(100);

        pacing.rateLimited(3_000); // another publish's 429

        long delay = backoff.nextDelayInMillis(new PublishFailure.Outage("HTTP 503"));
        assertTrue(delay > 2_900 && delay <= 3_000, "a retry of an unrelated publish waits out the pause: " + delay);
    }

    @Test
    void pacingHalvesOn429AndGrowsBackOnePerWindowOfAcknowledgements() {
        PublishPacing pacing = new PublishPacing(32, Duration.ofMillis(100), Duration.ofSeconds(10));
        assertEquals(32, pacing.allowedInFlight());

        pacing.rateLimited(0);
        pacing.rateLimited(0);
        assertEquals(16, pacing.allowedInFlight(), "publishes refused together halve the window once");
        pacing.rateLimited(-1);
        assertEquals(16, pacing.allowedInFlight());
        assertEquals(3, pacing.totals().rateLimitedAnswers());
        waitOut(pacing);
        pacing.rateLimited(0);
        assertEquals(8, pacing.allowedInFlight(), "a 429 after the pause halves it again");
        assertTrue(pacing.pause().toMillis() > 0, "without Retry-After the default pause holds");

        for (int i = 0; i < 8; i++) {
            pacing.acknowledged();
        }
        assertEquals(9, pacing.allowedInFlight(), "one more after a window of 8");
        for (int i = 0; i < 10_000; i++) {
            pacing.acknowledged();
        }
        assertEquals(32, pacing.allowedInFlight(), "never past the configured concurrency");
    }

    private static void waitOut(PublishPacing pacing) {
        try {
            Thread.sleep(pacing.pause().toMillis() + 5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
