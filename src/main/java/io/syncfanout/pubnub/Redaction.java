package io.syncfanout.pubnub;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;


/**
 * Cleans text that came from elsewhere (an error body PubNub or a proxy sent, an HTTP library's
 * exception) before it reaches a log line or a failure reason (contract, amendment 9): no configured
 * key in any encoding, no query string, no {@code auth} or {@code signature} value, no keys in a
 * publish path. It runs on the whole text, before it is shortened, so no key is cut where the
 * match would miss it.
 */
public record Redaction(List<String> secrets) {

    private static final String REDACTED = "[redacted]";
    private static final Pattern PUBLISH_PATH = Pattern.compile("/publish/[^/\\s\"'<>]+/[^/\\s\"'<>]+/");
    private static final Pattern QUERY = Pattern.compile("\\?[\\w.~%-]+=[^\\s\"'<>]*");
    /** {@code auth=…}, {@code "signature":"…"}, {@code Signature: …}: a query parameter, a JSON member, a header line. */
    private static final Pattern SECRET_PARAMETER = Pattern.compile(
            "(?i)(\\b(?:auth|signature)[\"']?\\s*[=:]\\s*[\"']?)[^&\\s\"'<>,;}]+");

    public static Redaction of(PubNubKeys keys) {
        return new Redaction(Stream.of(keys.secretKey(), keys.authKey(), Optional.of(keys.publishKey()), Optional.of(keys.subscribeKey()))
                .flatMap(Optional::stream)
                .filter(s -> s.length() >= 4)
                .flatMap(s -> Stream.of(s, PercentEncoding.encode(s), URLEncoder.encode(s, StandardCharsets.UTF_8)))
                .distinct()
                .toList());
    }

    public String apply(String text) {
        if (text == null) {
            return null;
        }
        String redacted = text;
        for (String secret : secrets) {
            redacted = redacted.replace(secret, REDACTED);
        }
        redacted = PUBLISH_PATH.matcher(redacted).replaceAll("/publish/" + REDACTED + "/" + REDACTED + "/");
        redacted = QUERY.matcher(redacted).replaceAll("?" + REDACTED);
        return SECRET_PARAMETER.matcher(redacted).replaceAll("$1" + REDACTED);
    }

    /**
     * This redaction and one attempt's own values (its signature, in every encoding, and its
     * timestamp): whatever echoes them back, in whatever shape, they never reach a log line
     * (amendment 15).
     */
    public Redaction withAttempt(String... values) {
        List<String> more = Stream.of(values)
                .filter(v -> v != null && v.length() >= 4)
                .flatMap(v -> Stream.of(v, PercentEncoding.encode(v), URLEncoder.encode(v, StandardCharsets.UTF_8),
                        java.net.URLDecoder.decode(v, StandardCharsets.UTF_8)))
                .filter(v -> v.length() >= 4)
                .toList();
        return more.isEmpty() ? this : new Redaction(Stream.concat(secrets.stream(), more.stream()).distinct().toList());
    }
}
