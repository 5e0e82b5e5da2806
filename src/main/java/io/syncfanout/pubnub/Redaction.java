package io.syncfanout.pubnub;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import io.syncfanout.config.PubNubConfig;

/**
 * Removes configured keys from text that came from elsewhere (an HTTP library's exception, say)
 * before it reaches a log line or a failure reason.
 */
public record Redaction(List<String> secrets) {

    public static Redaction of(PubNubConfig config) {
        return new Redaction(Stream.of(config.secretKey(), config.authKey(), config.publishKey(), config.subscribeKey())
                .flatMap(Optional::stream)
                .filter(s -> s.length() >= 4)
                .flatMap(s -> Stream.of(s, PercentEncoding.encode(s)))
                .distinct()
                .toList());
    }

    public String apply(String text) {
        String redacted = text;
        for (String secret : secrets) {
            redacted = redacted.replace(secret, "[redacted]");
        }
        return redacted;
    }
}
