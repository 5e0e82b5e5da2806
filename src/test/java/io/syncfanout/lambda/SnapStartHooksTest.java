package io.syncfanout.lambda;

import static io.syncfanout.testing.Updates.watchlist;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.syncfanout.pubnub.PublishPacing;
import io.syncfanout.testing.Invoke;
import io.syncfanout.testing.LogCapture;
import io.syncfanout.testing.PubNubStandIn;
import io.syncfanout.testing.Published;
import io.syncfanout.testing.SecretsExtensionStandIn;
import io.syncfanout.testing.SqsEvents;
import io.syncfanout.testing.StandInSuite;
import io.syncfanout.testing.TcpFront;

/**
 * SnapStart's hooks, called directly as the runtime calls them around a snapshot: with the keys in
 * Secrets Manager (as infra/ deploys the JVM build) and PubNub reached through a TCP front that counts
 * the function's connections.
 */
@QuarkusTest
@QuarkusTestResource(value = PubNubStandIn.class, restrictToAnnotatedClass = true, initArgs = {
        @ResourceArg(name = PubNubStandIn.KEYS, value = "elsewhere"), @ResourceArg(name = PubNubStandIn.FRONT, value = "tcp") })
@QuarkusTestResource(value = SecretsExtensionStandIn.class, restrictToAnnotatedClass = true)
class SnapStartHooksTest extends StandInSuite {

    @Inject
    SnapStartHooks hooks;

    @Inject
    PublishPacing pacing;

    @PubNubStandIn.StandIn
    TcpFront network;

    private static List<String> publishTo(String user) {
        SqsEvents event = SqsEvents.standard(user + "-");
        event.add(watchlist(user, "film", "Add", 1));
        return Invoke.failedIds(event);
    }

    @Test
    void noPooledConnectionSurvivesTheCheckpoint() throws Exception {
        assertEquals(List.of(), publishTo("before"));
        assertTrue(network.openConnections() > 0, "the publish left its connection in the pool");

        hooks.beforeCheckpoint(null);

        long until = System.nanoTime() + 5_000_000_000L;
        while (network.openConnections() > 0 && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        assertEquals(0, network.openConnections(), "a connection kept in a snapshot is dead after the restore");
        assertTrue(Published.all(pubnub).stream().allMatch(p -> p.channel().equals("user.before.sync")), "priming sent nothing");
    }

    @Test
    void theFirstInvocationAfterTheRestorePublishesThoughA429HeldPublishingBeforeTheSnapshot() {
        pacing.rateLimited(60_000); // as if PubNub had asked for a minute's pause just before the snapshot
        int allowed = pacing.allowedInFlight();
        hooks.beforeCheckpoint(null);
        hooks.afterRestore(null);

        assertEquals(java.time.Duration.ZERO, pacing.pause(), "no pause carried over from before the snapshot");
        assertEquals(allowed * 2, pacing.allowedInFlight(), "the publishes in flight are no longer halved");
        assertEquals(List.of(), publishTo("restored"), "restored, the instance publishes");
        assertEquals(1, Published.all(pubnub).size());
    }

    @Test
    void aRotationSinceTheSnapshotIsUsedByTheRestoredInstanceAndNoKeyIsLogged() {
        assertEquals(List.of(), publishTo("old"));
        hooks.beforeCheckpoint(null);
        SecretsExtensionStandIn.rotateTo("pub-c-rotated", "sub-c-rotated");

        try (LogCapture log = new LogCapture()) {
            hooks.afterRestore(null);
            assertEquals(List.of(), publishTo("new"));
            log.lines().forEach(line -> assertTrue(!line.contains("pub-c-rotated") && !line.contains(SecretsExtensionStandIn.AUTH_KEY),
                    "a key reached the log: " + line));
        } finally {
            SecretsExtensionStandIn.rotateTo(SecretsExtensionStandIn.PUBLISH_KEY, SecretsExtensionStandIn.SUBSCRIBE_KEY);
        }

        List<Published> published = Published.all(pubnub);
        assertEquals("/publish/" + SecretsExtensionStandIn.PUBLISH_KEY + "/" + SecretsExtensionStandIn.SUBSCRIBE_KEY
                + "/0/user.old.sync/0", published.get(0).rawPath());
        assertEquals("/publish/pub-c-rotated/sub-c-rotated/0/user.new.sync/0", published.get(1).rawPath());
    }
}
