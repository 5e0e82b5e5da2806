package io.syncfanout.pubnub;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads PubNub's answer to a publish (contract, section 3). PubNub labels it
 * {@code text/javascript}, so it arrives as text and is parsed here. What an error body says is
 * redacted, then shortened, before it becomes part of a failure's message (amendment 9).
 */
record PublishResponses(Redaction redaction) {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final int MAX_QUOTED = 120;

    /** The acknowledgement, or the {@link PublishFailure} that says what went wrong. */
    PublishAck read(int status, String body, String retryAfter) {
        if (status == 200) {
            JsonNode answer = parse(body);
            if (answer != null && answer.isArray() && answer.path(0).isNumber() && answer.path(0).asInt() == 1) {
                return new PublishAck(answer.path(2).asText(""));
            }
            throw new PublishFailure.Retryable("HTTP 200 but not PubNub's acknowledgement: " + quote(body));
        }
        String detail = "HTTP " + status + ": " + errorMessage(body);
        if (status == 429) {
            long waitMillis = retryAfterMillis(retryAfter);
            throw new PublishFailure.RateLimited(detail + (waitMillis > 0 ? " (Retry-After " + waitMillis + " ms)" : ""), waitMillis);
        }
        if (status >= 400 && status < 500) {
            throw new PublishFailure.Rejected(status, detail);
        }
        if (status >= 500) {
            throw new PublishFailure.Outage(detail);
        }
        throw new PublishFailure.Retryable(detail);
    }

    /** PubNub errors come as arrays ({@code [0,"Invalid JSON"]}) or objects with a {@code message}. */
    String errorMessage(String body) {
        JsonNode answer = parse(body);
        if (answer != null && answer.isArray() && answer.path(1).isTextual()) {
            return quote(answer.path(1).asText());
        }
        if (answer != null && answer.isObject() && answer.path("message").isTextual()) {
            return quote(answer.path("message").asText());
        }
        return body == null || body.isBlank() ? "(empty body)" : quote(body);
    }

    /**
     * {@code Retry-After} in seconds or as an HTTP date; 0 when absent or unreadable, and
     * {@code Long.MAX_VALUE} for a number of seconds too large to count in milliseconds (the pacing
     * caps every pause, amendment 13).
     */
    static long retryAfterMillis(String header) {
        if (header == null || header.isBlank()) {
            return 0;
        }
        String value = header.trim();
        if (value.matches("[0-9]{1,1000}")) {
            try {
                return Duration.ofSeconds(Long.parseLong(value)).toMillis();
            } catch (NumberFormatException | ArithmeticException tooLarge) {
                return Long.MAX_VALUE;
            }
        }
        try {
            return Math.max(0, Duration.ofSeconds(Long.parseLong(value)).toMillis());
        } catch (NumberFormatException | ArithmeticException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                return Math.max(0, Duration.between(Instant.now(), at).toMillis());
            } catch (DateTimeParseException notADate) {
                return 0;
            }
        }
    }

    private static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return JSON.readTree(body);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /** Redacted first, then cut: a key cut in half would no longer be recognised. */
    private String quote(String text) {
        if (text == null) {
            return "(empty body)";
        }
        String oneLine = redaction.apply(text).replaceAll("\\p{Cntrl}", " ").strip();
        return oneLine.codePointCount(0, oneLine.length()) > MAX_QUOTED
                ? oneLine.substring(0, oneLine.offsetByCodePoints(0, MAX_QUOTED)) + "…"
                : oneLine;
    }
}
