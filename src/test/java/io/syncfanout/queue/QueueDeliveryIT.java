package io.syncfanout.queue;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.syncfanout.testing.Updates.progress;
import static io.syncfanout.testing.Updates.watchlist;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.syncfanout.subscriber.Device;
import io.syncfanout.subscriber.Expected;
import io.syncfanout.testing.PubNubStandIn;

/**
 * From SendMessage to a device, through a real queue: the packaged function (the JVM zip, or the native
 * bootstrap under {@code -Dnative}) invoked by the local event source mapping, and audited by what a
 * device following the contract's subscriber rules ends up with. "Nothing is lost" is a promise of the
 * queue and the function together: these check it where it is kept.
 */
class QueueDeliveryIT {

    private static final AtomicLong CLOCK = new AtomicLong(io.syncfanout.testing.Updates.hlc(1_796_000_000_000L, 0));
    private static final String DOWN = "{\"status\":503,\"error\":true,\"message\":\"Service Unavailable\"}";

    @TempDir
    Path work;

    private QueueRig rig;

    @AfterEach
    void stop() throws Exception {
        if (rig != null) {
            rig.close();
        }
    }

    @Test
    void aPoisonRecordEndsInTheDeadLetterQueueAfterMaxReceiveCountAndEverythingElseReachesTheDevice() throws Exception {
        QueueSettings settings = QueueSettings.scaled("sync-fanout-updates", false, Duration.ofSeconds(3), Duration.ZERO, 3)
                .withVisibilityTimeout(Duration.ofSeconds(2));
        rig = QueueRig.start(work, settings, new EventSourceMapping.Settings(10, Duration.ZERO), 1, Map.of());
        List<String> bodies = updates(12, 4);
        bodies.add(5, "{\"user_id\":\"u-poison\",\"type\":\"watchlist_update\",\"device_id\":\"phone-1\",\"timestamp\":-1}");
        List<String> ids = rig.send(bodies);
        String poison = ids.get(5);

        rig.awaitDrained(Duration.ofSeconds(60));

        assertEquals(Set.of(poison), rig.deadLetters().keySet(), "only the poison record is dead-lettered");
        long reasons = rig.functionOutput().stream().filter(line -> line.contains("record " + poison + " rejected: ")).count();
        assertEquals(settings.maxReceiveCount(), reasons, "its reason is logged at each of its " + settings.maxReceiveCount() + " receives");
        Map<String, String> valid = new HashMap<>(rig.sent());
        valid.remove(poison);
        assertSameState(Expected.from(valid), rig.device(), valid);
    }

    @Test
    void anOutageLongerThanOneInvocationsRetriesIsRiddenOutThroughTheQueueAndTheDeadLetterQueueStaysEmpty() throws Exception {
        QueueSettings settings = QueueSettings.scaled("sync-fanout-updates", false, Duration.ofSeconds(3), Duration.ZERO, 5)
                .withVisibilityTimeout(Duration.ofSeconds(2));
        rig = QueueRig.start(work, settings, new EventSourceMapping.Settings(10, Duration.ZERO), 1, Map.of());
        var outage = rig.pubnub().stubFor(post(urlPathMatching(PubNubStandIn.PUBLISH_PATH)).atPriority(1)
                .willReturn(PubNubStandIn.pubnub(503, DOWN)));
        rig.send(updates(20, 5));
        awaitInvocations(2);
        rig.pubnub().removeStub(outage); // PubNub is back

        rig.awaitDrained(Duration.ofSeconds(60));

        assertEquals(Set.of(), rig.deadLetters().keySet(), "nothing valid is dead-lettered");
        assertTrue(rig.functionOutput().stream().anyMatch(line -> line.matches(".*parked=[1-9].*")),
                "the outage's records were parked on the queue");
        int invoked = rig.mapping().invocations().stream().mapToInt(i -> i.messageIds().size()).sum();
        assertTrue(invoked > rig.sent().size(), "the parked records came back from the queue: " + invoked + " records invoked for "
                + rig.sent().size() + " sent");
        assertSameState(Expected.from(rig.sent()), rig.device(), rig.sent());
    }

    /**
     * infra/'s defaults scaled down (visibility 3 s, maxReceiveCount 3) against PubNub answering 500 to
     * everything for 30 s: without the backoff each record would be received three times within 10 s
     * and dead-lettered. With it (here 7 s, then 28 s) every valid update waits the outage out, and the
     * dead-letter queue holds only the invalid records.
     */
    @Test
    void aLongOutageDelaysRedeliveriesSoThatTheDeadLetterQueueHoldsOnlyTheInvalidRecords() throws Exception {
        QueueSettings settings = new QueueSettings("sync-fanout-updates", false, Duration.ofSeconds(3), Duration.ofSeconds(3), 3);
        rig = QueueRig.start(work, settings, new EventSourceMapping.Settings(10, Duration.ZERO), 1,
                Map.of("SYNC_REDELIVERY_BACKOFF_BASE", "7s", "SYNC_REDELIVERY_BACKOFF_MULTIPLIER", "4"));
        var outage = rig.pubnub().stubFor(post(urlPathMatching(PubNubStandIn.PUBLISH_PATH)).atPriority(1)
                .willReturn(PubNubStandIn.pubnub(500, "{\"status\":500,\"error\":true,\"message\":\"Internal Server Error\"}")));
        long outageEnds = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        List<String> bodies = updates(16, 4);
        bodies.add(3, "{\"user_id\":\"u-bad\",\"type\":\"progress_update\",\"device_id\":\"tv-1\",\"timestamp\":1}");
        bodies.add(9, "not json at all");
        List<String> ids = rig.send(bodies);
        Set<String> invalid = Set.of(ids.get(3), ids.get(9));
        while (System.nanoTime() < outageEnds) {
            Thread.sleep(100);
        }
        rig.pubnub().removeStub(outage);

        rig.awaitDrained(Duration.ofSeconds(60));

        assertEquals(invalid, rig.deadLetters().keySet(), "the dead-letter queue holds only the invalid records");
        assertTrue(rig.functionOutput().stream().anyMatch(line -> line.matches(".*parked=[1-9].*")),
                "the function parked the failed records on the queue");
        Map<String, String> valid = new HashMap<>(rig.sent());
        invalid.forEach(valid::remove);
        assertSameState(Expected.from(valid), rig.device(), valid);
    }

    /**
     * infra/'s batch size through a PubNub that hangs, scaled down by 1/10 in time and keeping the ratios
     * that matter: batches of 1,000 (infra/'s), a function timeout that cuts each invocation short (3 s
     * for 30), visibility 6 x timeout + window (19 s), 3 receives, the outage delays scaled by 1/60 (base
     * 1 s, at most 15 s for 900), and SQS 15 ms away as inside a region. PubNub answers nothing for 45 s:
     * more than two visibility timeouts, so every record left in the answer would reach the dead-letter
     * queue. Parked, none does, and every device converges.
     */
    @Test
    void infrasBatchSizeThroughAHangingPubNubDeadLettersNothingValid() throws Exception {
        QueueSettings settings = QueueSettings.scaled("sync-fanout-updates", false, Duration.ofSeconds(3), Duration.ofSeconds(1), 3);
        rig = QueueRig.start(work, settings, new EventSourceMapping.Settings(1_000, Duration.ofSeconds(1)), 1,
                Map.of("SYNC_REDELIVERY_BACKOFF_BASE", "1s", "SYNC_REDELIVERY_BACKOFF_MAX", "15s"), Duration.ofMillis(15));
        var hang = rig.pubnub().stubFor(post(urlPathMatching(PubNubStandIn.PUBLISH_PATH)).atPriority(1)
                .willReturn(PubNubStandIn.sent().withFixedDelay(60_000)));
        long hangEnds = System.nanoTime() + Duration.ofSeconds(45).toNanos();
        rig.send(updates(2_000, 200));
        while (System.nanoTime() < hangEnds) {
            Thread.sleep(200);
        }
        rig.pubnub().removeStub(hang);

        rig.awaitDrained(Duration.ofSeconds(120));

        assertEquals(Set.of(), rig.deadLetters().keySet(), "nothing valid is dead-lettered");
        assertTrue(rig.mapping().invocations().stream().anyMatch(i -> i.messageIds().size() >= 500),
                "batches of infra/'s size: " + rig.mapping().invocations().stream().map(i -> i.messageIds().size()).toList());
        assertTrue(rig.mapping().invocations().stream().allMatch(i -> i.ending() == LocalFunction.Ending.ANSWERED),
                "every invocation answered by its deadline: " + rig.mapping().invocations().stream().map(i -> i.ending()).toList());
        assertTrue(rig.functionOutput().stream().anyMatch(line -> line.matches(".*parked=[1-9][0-9]{2,}.*")),
                "the function parked the records it could not publish");
        assertSameState(Expected.from(rig.sent()), rig.device(), rig.sent());
    }

    /**
     * SQS's in-flight quota, scaled down to 300 messages (about 120,000 on a real queue). An outage fails
     * 1,000 updates for 25 s, longer than their first delays; then PubNub is back, and an update sent
     * right after must reach its device within seconds. Delays kept in flight would fill the quota and
     * hold every receive until they expire; parked records are not in flight.
     */
    @Test
    void afterALongOutageAnUpdateSentOnRecoveryReachesItsDeviceWithinSeconds() throws Exception {
        QueueSettings settings = QueueSettings.scaled("sync-fanout-updates", false, Duration.ofSeconds(3), Duration.ofSeconds(1), 5);
        rig = QueueRig.start(work, settings, new EventSourceMapping.Settings(100, Duration.ofSeconds(1)).withInFlightQuota(300), 2,
                Map.of("SYNC_REDELIVERY_BACKOFF_BASE", "2s", "SYNC_REDELIVERY_BACKOFF_MAX", "30s"), Duration.ofMillis(15));
        var outage = rig.pubnub().stubFor(post(urlPathMatching(PubNubStandIn.PUBLISH_PATH)).atPriority(1)
                .willReturn(PubNubStandIn.pubnub(503, DOWN)));
        long outageEnds = System.nanoTime() + Duration.ofSeconds(25).toNanos();
        rig.send(updates(1_000, 100));
        while (System.nanoTime() < outageEnds) {
            Thread.sleep(200);
        }
        rig.pubnub().removeStub(outage);

        long sent = System.nanoTime();
        rig.send(List.of(watchlist("just-back", "film-new", "Add", CLOCK.getAndIncrement())));
        long deadline = sent + Duration.ofSeconds(60).toNanos();
        while (!rig.device().state("just-back").watchlist().contains("film-new")) {
            assertTrue(System.nanoTime() < deadline, "the update sent on recovery never arrived");
            Thread.sleep(100);
        }
        long waitedMs = (System.nanoTime() - sent) / 1_000_000;

        assertTrue(waitedMs < 10_000, "the update sent on recovery waited " + waitedMs + " ms (receives over the in-flight quota: "
                + rig.mapping().overQuotaReceives() + ")");
        rig.awaitDrained(Duration.ofSeconds(120));
        assertEquals(Set.of(), rig.deadLetters().keySet(), "nothing valid is dead-lettered");
        assertSameState(Expected.from(rig.sent()), rig.device(), rig.sent());
    }

    /**
     * On FIFO a record that fails for an outage at every receive holds its group, until it leaves for the
     * dead-letter queue, for what docs/operations.md#fifo-queues says: its delay after each receive but the
     * last (at least the visibility timeout), then the visibility timeout (RedeliveryBackoff.fifoHold).
     * Scaled: timeout 2 s, visibility 12 s, 2 receives, a 20 s delay: 12 + 20 = 32 s, plus the invocations'
     * own time, timed on the record itself until the dead-letter queue has it.
     */
    @Test
    void onFifoARecordThatKeepsFailingHoldsItsGroupForWhatTheDocsSay() throws Exception {
        QueueSettings settings = new QueueSettings("sync-fanout-updates", true, Duration.ofSeconds(2), Duration.ofSeconds(12), 2);
        rig = QueueRig.start(work, settings, new EventSourceMapping.Settings(10, Duration.ZERO), 1,
                Map.of("SYNC_REDELIVERY_BACKOFF_BASE", "20s", "SYNC_REDELIVERY_MAX_RECEIVE_COUNT", "2"));
        rig.pubnub().stubFor(post(urlPathMatching("/publish/.*/user\\.house-x\\.sync/.*")).atPriority(1)
                .willReturn(PubNubStandIn.pubnub(503, DOWN)));
        // A warm environment first. In Lambda init is counted apart from the timeout, and the module's 6 x timeout
        // leaves it room; scaled to 12 s here, a cold start on a loaded machine outlasted the visibility timeout, the
        // record came back during its own first invocation, and the hold measured 20 s (seen in .ci/run, and again
        // under three busy loops on two cores; with this warm-up the same load passes).
        rig.send(List.of(watchlist("warm-up", "film-0", "Add", CLOCK.getAndIncrement())), List.of("warm-up"));
        awaitInvocations(1);
        String head = rig.send(List.of(watchlist("house-x", "film-1", "Add", CLOCK.getAndIncrement())), List.of("household")).get(0);
        long firstDeadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (rig.mapping().invocations().stream().noneMatch(i -> i.messageIds().contains(head))) {
            assertTrue(System.nanoTime() < firstDeadline, "the failing record was never received");
            Thread.sleep(20);
        }
        long firstFailed = System.nanoTime();
        long deadline = firstFailed + Duration.ofSeconds(90).toNanos();
        while (!rig.deadLetters().containsKey(head)) {
            assertTrue(System.nanoTime() < deadline, "the failing record never left its group for the dead-letter queue");
            Thread.sleep(200);
        }
        double heldSeconds = (System.nanoTime() - firstFailed) / 1e9;

        double documented = new io.syncfanout.sqs.RedeliveryBackoff(Duration.ofSeconds(20), 6, Duration.ofMinutes(15))
                .fifoHold(settings.maxReceiveCount(), settings.visibilityTimeout()).toSeconds();
        assertEquals(32, documented, 1e-9);
        assertTrue(heldSeconds >= documented - 1 && heldSeconds <= documented + 8,
                "the group was held " + heldSeconds + " s; the docs say " + documented + " s and the invocations' own time");
        assertEquals(List.of(1, 2), rig.mapping().invocations().stream().filter(i -> i.messageIds().contains(head))
                .map(i -> i.receiveCounts().get(head)).toList(),
                "received twice, then dead-lettered: " + rig.mapping().invocations());
        assertTrue(rig.functionOutput().stream().anyMatch(line -> line.contains("was its queue's last")),
                "its last receive was not delayed, and the log says why");
    }

    @Test
    void aFunctionKilledInTheMiddleOfAnInvocationGetsItsWholeBatchBackAndEveryDuplicateCarriesTheSameMessageId() throws Exception {
        QueueSettings settings = QueueSettings.scaled("sync-fanout-updates", false, Duration.ofSeconds(10), Duration.ZERO, 5)
                .withVisibilityTimeout(Duration.ofSeconds(4));
        rig = QueueRig.start(work, settings, new EventSourceMapping.Settings(10, Duration.ZERO), 1, Map.of());
        // Some channels answer at once, the others slowly: the kill finds publishes both done and in flight.
        var slow = rig.pubnub().stubFor(post(urlPathMatching("/publish/.*/user\\.u[0-2]\\.sync/.*")).atPriority(1)
                .willReturn(PubNubStandIn.sent().withFixedDelay(3_000)));
        List<String> ids = rig.send(updates(10, 6));
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (rig.mapping().inFlight() == 0 || rig.pubnub().getAllServeEvents().size() < 4) {
            assertTrue(System.nanoTime() < deadline, "the invocation never got under way");
            Thread.sleep(20);
        }
        rig.functions().get(0).kill();
        awaitInvocations(1);
        rig.pubnub().removeStub(slow);

        rig.awaitDrained(Duration.ofSeconds(60));

        EventSourceMapping.Invocation killed = rig.mapping().invocations().get(0);
        assertEquals(LocalFunction.Ending.CRASHED, killed.ending(), "the first invocation died with its process");
        assertEquals(Set.of(), killed.deleted(), "nothing of a crashed invocation's batch is deleted");
        Set<String> redelivered = new java.util.HashSet<>();
        rig.mapping().invocations().stream().skip(1).forEach(i -> i.receiveCounts().forEach((id, n) -> {
            if (n > 1) {
                redelivered.add(id);
            }
        }));
        assertTrue(redelivered.containsAll(killed.messageIds()), "the whole batch came back: " + killed.messageIds() + " vs " + redelivered);
        assertEquals(2, rig.functions().get(0).starts(), "Lambda started a fresh environment");
        assertEquals(Set.of(), rig.deadLetters().keySet());
        assertDuplicatesCarryTheSameMessageId(rig);
        assertSameState(Expected.from(rig.sent()), rig.device(), rig.sent());
        assertEquals(ids.size(), rig.sent().size());
    }

    @Test
    void onFifoAGroupReachesItsChannelsInOrderAcrossAFailureAndARedeliveryAndOtherGroupsDoNotWait() throws Exception {
        QueueSettings settings = QueueSettings.scaled("sync-fanout-updates", true, Duration.ofSeconds(3), Duration.ZERO, 3)
                .withVisibilityTimeout(Duration.ofSeconds(2));
        rig = QueueRig.start(work, settings, new EventSourceMapping.Settings(10, Duration.ZERO), 2, Map.of());
        // One household's group spans two users; one of its channels is down for the first delivery.
        var down = rig.pubnub().stubFor(post(urlPathMatching("/publish/.*/user\\.house-a1\\.sync/.*")).atPriority(1)
                .willReturn(PubNubStandIn.pubnub(503, DOWN)));
        List<String> bodies = new ArrayList<>();
        List<String> groups = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            boolean household = i % 5 != 4;
            String user = household ? (i % 2 == 0 ? "house-a1" : "house-a2") : "solo-b";
            bodies.add(watchlist(user, "film-" + i, "Add", CLOCK.getAndIncrement()));
            groups.add(household ? "household-a" : "solo-b");
        }
        List<String> ids = rig.send(bodies, groups);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (rig.mapping().invocations().stream().allMatch(i -> i.reportedFailed().isEmpty())) {
            assertTrue(System.nanoTime() < deadline, "the outage failed none of the household's records");
            Thread.sleep(20);
        }
        rig.pubnub().removeStub(down);

        rig.awaitDrained(Duration.ofSeconds(60));

        for (String user : List.of("house-a1", "house-a2", "solo-b")) {
            List<Long> clocks = new ArrayList<>();
            Set<String> seen = new java.util.HashSet<>();
            for (var delivered : io.syncfanout.subscriber.Delivered.from(rig.pubnub())) {
                if (delivered.channel().equals("user." + user + ".sync")) {
                    for (var item : items(delivered.message())) {
                        if (seen.add(item.path("message_id").asText())) {
                            clocks.add(item.path("timestamp").asLong());
                        }
                    }
                }
            }
            List<Long> sorted = new ArrayList<>(clocks);
            java.util.Collections.sort(sorted);
            assertEquals(sorted, clocks, user + "'s updates reached the channel in the order they were sent");
        }
        // Across its channels too: no record of the group reached a device before one sent ahead of it.
        List<io.syncfanout.subscriber.Delivered> delivered = io.syncfanout.subscriber.Delivered.from(rig.pubnub());
        Map<Long, Integer> firstPublish = new HashMap<>();
        for (int index = 0; index < delivered.size(); index++) {
            for (var item : items(delivered.get(index).message())) {
                firstPublish.putIfAbsent(item.path("timestamp").asLong(), index);
            }
        }
        int previous = -1;
        for (int i = 0; i < bodies.size(); i++) {
            if (groups.get(i).equals("household-a")) {
                long clock = com.fasterxml.jackson.databind.json.JsonMapper.builder().build().readTree(bodies.get(i)).path("timestamp").asLong();
                int index = firstPublish.getOrDefault(clock, -1);
                assertTrue(index >= previous, "record " + i + " of the household reached a device before one sent ahead of it");
                previous = index;
            }
        }
        for (int i = 0; i < ids.size(); i++) {
            if (groups.get(i).equals("solo-b")) {
                String id = ids.get(i);
                assertTrue(rig.mapping().invocations().stream().anyMatch(inv -> inv.deleted().contains(id) && inv.receiveCounts().get(id) == 1),
                        "the other group's record " + id + " was delivered at its first receive");
            }
        }
        assertEquals(Set.of(), rig.deadLetters().keySet());
        assertSameState(Expected.from(rig.sent()), rig.device(), rig.sent());
    }

    @Test
    void whatLambdasDeadlineLeftUnattemptedComesBackAndIsDeliveredByALaterReceive() throws Exception {
        QueueSettings settings = QueueSettings.scaled("sync-fanout-updates", false, Duration.ofSeconds(2), Duration.ZERO, 5)
                .withVisibilityTimeout(Duration.ofSeconds(3));
        // A window, so that the first batch holds all of them.
        rig = QueueRig.start(work, settings, new EventSourceMapping.Settings(10, Duration.ofSeconds(1)), 1,
                Map.of("SYNC_PUBLISH_CONCURRENCY", "1"));
        var slow = rig.pubnub().stubFor(post(urlPathMatching(PubNubStandIn.PUBLISH_PATH)).atPriority(1)
                .willReturn(PubNubStandIn.sent().withFixedDelay(700)));
        rig.send(updates(8, 8));
        awaitInvocations(1);
        rig.pubnub().removeStub(slow);

        rig.awaitDrained(Duration.ofSeconds(60));

        EventSourceMapping.Invocation first = rig.mapping().invocations().get(0);
        assertEquals(LocalFunction.Ending.ANSWERED, first.ending(), "the function answered before Lambda's timeout");
        // What was not attempted is parked on the queue (amendment 20) or, where it could not be (a fresh JVM makes
        // its SQS client at its first outage, off the cold start: docs/operations.md), in the answer.
        assertTrue(rig.functionOutput().stream().anyMatch(line -> line.matches(".*out_of_time=[1-9].*")),
                "the deadline cut the first invocation short: " + first);
        assertTrue(!first.reportedFailed().isEmpty() || rig.functionOutput().stream().anyMatch(line -> line.matches(".*parked=[1-9].*")),
                "what it left was parked or reported failed: " + first);
        assertEquals(Set.of(), rig.deadLetters().keySet());
        assertSameState(Expected.from(rig.sent()), rig.device(), rig.sent());
    }

    /**
     * Why infra/ refuses a visibility timeout under 6 x the function timeout: a record becomes visible
     * again while its invocation is still publishing it, another poller takes it, and devices get it twice.
     * What is counted is what the queue did: records received again. Duplicates at a device alone would not
     * do on a busy machine, where an attempt that times out after PubNub took it is retried, and a device
     * drops the repeat whatever the visibility timeout (the likeliest way it failed once in a native verify;
     * that run was not reproduced).
     */
    @Test
    void aVisibilityTimeoutShorterThanTheFunctionTimeoutPublishesRecordsTwice() throws Exception {
        Map<String, Integer> receivedAgain = new HashMap<>();
        Map<String, Integer> duplicates = new HashMap<>();
        for (Duration visibility : List.of(Duration.ofSeconds(1), QueueSettings.scaled("x", false, Duration.ofSeconds(5), Duration.ofSeconds(1), 1)
                .visibilityTimeout())) {
            QueueSettings settings = new QueueSettings("sync-fanout-updates-" + visibility.toSeconds(), false, Duration.ofSeconds(5),
                    visibility, 5);
            // One channel at a time, each answered in 0.8 s: a 3 s invocation of short attempts.
            rig = QueueRig.start(work.resolve("v" + visibility.toSeconds()), settings, new EventSourceMapping.Settings(10, Duration.ofSeconds(1)),
                    2, Map.of("SYNC_PUBLISH_CONCURRENCY", "1"));
            var slow = rig.pubnub().stubFor(post(urlPathMatching(PubNubStandIn.PUBLISH_PATH)).atPriority(1)
                    .willReturn(PubNubStandIn.sent().withFixedDelay(800)));
            rig.send(updates(4, 4));
            awaitInvocations(1);
            rig.pubnub().removeStub(slow);
            rig.awaitDrained(Duration.ofSeconds(60));
            Device device = rig.device();
            String key = visibility.toSeconds() + " s";
            receivedAgain.put(key, (int) rig.mapping().invocations().stream().flatMap(i -> i.receiveCounts().values().stream())
                    .filter(n -> n > 1).count());
            duplicates.put(key, device.duplicatesDropped().size());
            assertTrue(rig.mapping().invocations().stream().allMatch(i -> i.ending() == LocalFunction.Ending.ANSWERED),
                    "every invocation answered in time: " + rig.mapping().invocations());
            assertSameState(Expected.from(rig.sent()), device, rig.sent());
            assertDuplicatesCarryTheSameMessageId(rig);
            rig.close();
            rig = null;
        }
        assertTrue(receivedAgain.get("1 s") > 0 && duplicates.get("1 s") > 0,
                "visibility 1 s under a 5 s timeout: records received again while in flight, and published twice " + receivedAgain + " "
                        + duplicates);
        assertEquals(0, receivedAgain.get("31 s"), "visibility 6 x the timeout: no record received twice " + receivedAgain);
    }

    private void awaitInvocations(int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (rig.mapping().invocations().size() < count) {
            assertTrue(System.nanoTime() < deadline, "fewer than " + count + " invocations in 30 s");
            Thread.sleep(50);
        }
    }

    /** A device may see a record twice after a redelivery; both copies must carry one message_id, so it drops the second. */
    static void assertDuplicatesCarryTheSameMessageId(QueueRig rig) {
        Map<String, String> byId = new HashMap<>();
        for (var delivered : io.syncfanout.subscriber.Delivered.from(rig.pubnub())) {
            for (var item : items(delivered.message())) {
                String key = delivered.channel() + " " + item.path("message_id").asText();
                String before = byId.putIfAbsent(key, item.toString());
                assertTrue(before == null || before.equals(item.toString()), "one message_id, two different updates: " + key);
            }
        }
    }

    static List<com.fasterxml.jackson.databind.JsonNode> items(com.fasterxml.jackson.databind.JsonNode message) {
        List<com.fasterxml.jackson.databind.JsonNode> items = new ArrayList<>();
        if ("batch".equals(message.path("type").asText())) {
            message.path("messages").forEach(items::add);
        } else {
            items.add(message);
        }
        return items;
    }

    /** Updates for {@code users} users: watchlist adds, some removed again, and progress. */
    static List<String> updates(int count, int users) {
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String user = "u" + (i % users);
            long hlc = CLOCK.getAndIncrement();
            bodies.add(i % 3 == 2 ? progress(user, "film-" + (i % 2), hlc, 60L * i) : watchlist(user, "film-" + (i % 4), "Add", hlc));
        }
        return bodies;
    }

    /** Every user's state on the device is the state computed straight from what the producers sent. */
    static void assertSameState(Device expected, Device device, Map<String, String> sent) {
        Set<String> users = new java.util.TreeSet<>();
        sent.values().forEach(body -> {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"user_id\":\"([^\"]+)\"").matcher(body);
            if (m.find()) {
                users.add(m.group(1));
            }
        });
        for (String user : users) {
            assertEquals(expected.state(user), device.state(user), "what " + user + "'s device shows");
        }
    }
}
