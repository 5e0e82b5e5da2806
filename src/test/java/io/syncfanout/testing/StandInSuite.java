package io.syncfanout.testing;

import org.junit.jupiter.api.BeforeEach;

import com.github.tomakehurst.wiremock.WireMockServer;

/**
 * For {@code @QuarkusTest}s against the shared PubNub stand-in: each test starts from PubNub's own
 * behaviour and an empty journal. (The circuit needs no reset: an invocation that starts with none
 * in flight starts it closed.)
 */
public abstract class StandInSuite {

    @PubNubStandIn.StandIn
    protected WireMockServer pubnub;

    @BeforeEach
    void startFromACleanStandIn() {
        PubNubStandIn.acknowledgeEverything(pubnub);
    }
}
