package io.syncfanout.pubnub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PublishResponsesTest {

    @Test
    void pubnubsAcknowledgementIsASuccess() {
        assertEquals("17000000000000000", PublishResponses.read(200, "[1,\"Sent\",\"17000000000000000\"]", null).timetoken());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "500 | [0,\"Internal Server Error\"]                      | HTTP 500: Internal Server Error",
            "503 | ''                                                 | HTTP 503: (empty body)",
            "502 | <html>Bad Gateway</html>                           | HTTP 502: <html>Bad Gateway</html>",
            "200 | {\"status\":200}                                   | HTTP 200 but not PubNub's acknowledgement",
            "200 | [0,\"Failed\"]                                     | HTTP 200 but not PubNub's acknowledgement",
            "429 | {\"status\":429,\"message\":\"Too Many Requests\"} | HTTP 429: Too Many Requests",
    })
    void retryableAnswers(int status, String body, String message) {
        PublishFailure.Retryable failure = assertThrows(PublishFailure.Retryable.class,
                () -> PublishResponses.read(status, body, null));
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
        PublishFailure.Rejected failure = assertThrows(PublishFailure.Rejected.class, () -> PublishResponses.read(status, body, null));
        assertEquals(message, failure.getMessage());
        assertEquals(status == 413, failure.isPayloadTooLarge());
    }

    @Test
    void retryAfterInSecondsOrAsADate() {
        assertEquals(2_000, PublishResponses.retryAfterMillis("2"));
        assertEquals(0, PublishResponses.retryAfterMillis("soon"));
        assertEquals(0, PublishResponses.retryAfterMillis("Wed, 21 Oct 2015 07:28:00 GMT"), "a date in the past: no wait");
        PublishFailure.Retryable limited = assertThrows(PublishFailure.Retryable.class,
                () -> PublishResponses.read(429, "[0,\"Too Many Requests\"]", "3"));
        assertEquals(3_000, limited.retryAfterMillis());
    }

    @Test
    void backoffGrowsFromTheConfiguredDelayAndHonoursRetryAfter() {
        PublishBackoff backoff = new PublishBackoff();
        backoff.init(100);
        long first = backoff.nextDelayInMillis(new PublishFailure.Retryable("x"));
        long second = backoff.nextDelayInMillis(new PublishFailure.Retryable("x"));
        long third = backoff.nextDelayInMillis(new PublishFailure.Retryable("x", 5_000));
        assertTrue(first >= 75 && first <= 125, "first " + first);
        assertTrue(second >= 150 && second <= 250, "second " + second);
        assertEquals(5_000, third);
    }
}
