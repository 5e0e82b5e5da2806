package io.syncfanout.config;

import java.net.URI;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Where and as whom to publish; names follow the contract, section 5 ({@code PUBNUB_*} variables). */
@ConfigMapping(prefix = "pubnub")
public interface PubNubConfig {

    /** PubNub's REST origin. {@code http://} is accepted for loopback hosts only. */
    @WithDefault("https://ps.pndsn.com")
    URI origin();

    /** Required outside dev and test; checked at start-up by {@link StartupChecks}. */
    Optional<String> publishKey();

    /** Required outside dev and test; checked at start-up by {@link StartupChecks}. */
    Optional<String> subscribeKey();

    /** When set, every request is signed (contract section 3). */
    Optional<String> secretKey();

    /** Sent as {@code auth} when set (PubNub Access Manager token or auth key). */
    Optional<String> authKey();

    @WithDefault("sync-fanout")
    String uuid();

    /**
     * Offer HTTP/2 by ALPN (application.properties hands it to the REST client): every publish in
     * flight then shares one connection. Off by default: over TLS it cost more CPU than the handshakes
     * it saved at Lambda's CPU shares (docs/benchmarks-tls.md).
     */
    @WithDefault("false")
    boolean http2();
}
