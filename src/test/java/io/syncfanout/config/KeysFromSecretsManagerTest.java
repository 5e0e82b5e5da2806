package io.syncfanout.config;

import static io.syncfanout.testing.Updates.watchlist;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.syncfanout.testing.Invoke;
import io.syncfanout.testing.LogCapture;
import io.syncfanout.testing.PubNubStandIn;
import io.syncfanout.testing.Published;
import io.syncfanout.testing.SecretsExtensionStandIn;
import io.syncfanout.testing.SqsEvents;
import io.syncfanout.testing.StandInSuite;

/**
 * The function as infra/ deploys it: no key in its environment, only where the keys live. It reads
 * them at start-up through the Parameters and Secrets extension and publishes with them.
 */
@QuarkusTest
@QuarkusTestResource(value = PubNubStandIn.class, restrictToAnnotatedClass = true,
        initArgs = @ResourceArg(name = PubNubStandIn.KEYS, value = "elsewhere"))
@QuarkusTestResource(value = SecretsExtensionStandIn.class, restrictToAnnotatedClass = true)
class KeysFromSecretsManagerTest extends StandInSuite {

    @Test
    void publishesWithTheKeysOfTheSecretAndLogsNoneOfThem() {
        SqsEvents event = SqsEvents.standard();
        event.add(watchlist("kim", "film", "Add", 1));

        try (LogCapture log = new LogCapture()) {
            assertEquals(List.of(), Invoke.failedIds(event));
            log.lines().forEach(line -> assertTrue(!line.contains(SecretsExtensionStandIn.PUBLISH_KEY)
                    && !line.contains(SecretsExtensionStandIn.AUTH_KEY), "a key reached the log: " + line));
        }

        Published publish = Published.all(pubnub).get(0);
        assertEquals("/publish/" + SecretsExtensionStandIn.PUBLISH_KEY + "/" + SecretsExtensionStandIn.SUBSCRIBE_KEY
                + "/0/user.kim.sync/0", publish.rawPath());
        assertTrue(publish.query().contains("auth=" + SecretsExtensionStandIn.AUTH_KEY), publish.query());
    }
}
