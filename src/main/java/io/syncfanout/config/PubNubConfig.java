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
     * Offer HTTP/2 by ALPN (application.properties hands it to the REST client), as PubNub's SDKs do:
     * every publish in flight then shares one connection, and an origin that offers HTTP/1.1 only gets
     * a connection per publish in flight. On by default: against two server implementations it cost the
     * native build less CPU than HTTP/1.1 at 512 and 1,024 MB (docs/benchmarks-tls.md).
     */
    @WithDefault("true")
    boolean http2();
}
