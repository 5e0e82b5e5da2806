package io.syncfanout.pubnub;

import java.util.Optional;

import io.syncfanout.config.PubNubConfig;

/**
 * The keys publishes are made with (contract, section 5), as read at start-up or read again after a
 * SnapStart restore ({@code lambda/SnapStartHooks}), so a rotation reaches restored instances.
 * {@code toString} names none of them.
 */
public record PubNubKeys(String publishKey, String subscribeKey, Optional<String> secretKey, Optional<String> authKey) {

    public PubNubKeys {
        secretKey = secretKey.filter(s -> !s.isBlank());
        authKey = authKey.filter(a -> !a.isBlank());
    }

    /** Present outside dev and test: StartupChecks refuses to start otherwise. */
    public static PubNubKeys of(PubNubConfig config) {
        return new PubNubKeys(config.publishKey().orElse(""), config.subscribeKey().orElse(""), config.secretKey(), config.authKey());
    }

    @Override
    public String toString() {
        return "PubNubKeys[publish, subscribe" + (secretKey.isPresent() ? ", secret" : "") + (authKey.isPresent() ? ", auth" : "") + "]";
    }
}
