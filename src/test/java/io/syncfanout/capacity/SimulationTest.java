package io.syncfanout.capacity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.syncfanout.capacity.InstanceCapacity.Curve;
import io.syncfanout.capacity.InstanceCapacity.Point;
import io.syncfanout.capacity.Simulation.Result;
import io.syncfanout.capacity.Simulation.Second;

/** The simulator against cases worked by hand: an instance that takes 1 s for any batch, and no cold start. */
class SimulationTest {

    static final InstanceCapacity ONE_SECOND = new InstanceCapacity("flat", 512, 0,
            new Curve(List.of(new Point(10, 1, 1.0, 100), new Point(10_000, 1_000, 1.0, 100))),
            new Curve(List.of(new Point(10, 10, 1.0, 100), new Point(10_000, 10_000, 1.0, 100))));

    static TriggerSettings standard(int batch, double window, Integer maximumConcurrency) {
        return new TriggerSettings(false, "flat", 512, batch, window, maximumConcurrency, null, null, 30, 1_000);
    }

    /** {@code records} arriving within the first second, one update a user. */
    static Load burst(double records, long users) {
        return new Load("burst", new double[] { records }, users, 1, 1, 600, 1);
    }

    static Load steady(double rate, int seconds) {
        double[] curve = new double[seconds];
        Arrays.fill(curve, rate);
        return new Load("steady", curve, (long) (rate * seconds), 1, 1, 600, 1);
    }

    @Test
    void aBacklogDrainsAsTheMappingScalesUpToItsMaximumConcurrency() {
        // 10,000 records at once, batches of 10, 1 s each. Concurrency 5 + 5 a second (300 a minute) reaches the
        // maximum of 10 after 1 s: 75 records in that second, then 100 a second: 1 + 9,925 / 100 = 100.25 s.
        Result result = new Simulation(ONE_SECOND, standard(10, 0, 10), burst(10_000, 10_000)).run();
        assertTrue(result.drained());
        assertEquals(10_000, result.totalUpdates(), 1e-6);
        assertEquals(101, result.drainedAt(), 1.0);
        assertEquals(10, result.peakConcurrency(), 1e-6);
        // The scale-up ends within the first second's arrivals; from then on the maximum holds the backlog up, about 99 s.
        assertEquals(List.of("maximum_concurrency (10)"), List.copyOf(result.limitsFirstAt().keySet()));
        assertEquals(99, result.limitSeconds().get("maximum_concurrency (10)"), 1.5);
        // The last record waited about the whole drain, then its 1 s invocation.
        assertEquals(101, result.maxAge(), 1.5);
        // 1,000 invocations of 1 s at 0.5 GB: 500 GB-s; 10,000 sends, and a receive and a delete per batch of 10.
        Simulation.Cost cost = result.cost();
        // (The last batch of the drain is a fraction of one: within one invocation.)
        assertEquals(1_000, cost.invocations(), 1);
        assertEquals(500, cost.gbSeconds(), 0.5);
        assertEquals(500 * 0.0000166667 + 1_000 * 0.2e-6, cost.lambdaX86(), 1e-5);
        assertEquals(500 * 0.0000133334 + 1_000 * 0.2e-6, cost.lambdaArm(), 1e-5);
        assertEquals(2_000, cost.sqsRequests(), 2);
        assertEquals(2_000 * 0.4e-6, cost.sqs(), 1e-6);
        assertEquals(10_000 * 0.4e-6, cost.sqsSends(), 1e-9);
        assertEquals(10_000, cost.pubnubTransactions(), 1e-6);
    }

    @Test
    void provisionedPollersDrainTheSameBurstAboutTwiceAsFast() {
        // Standard, no maximum: 5 + 5t concurrency, 10 records a second each: 50T + 25T² = 10,000 at T = 19.0 s.
        Result standard = new Simulation(ONE_SECOND, standard(10, 0, null), burst(10_000, 10_000)).run();
        assertEquals(19.0, standard.drainedAt(), 1.0);
        // 2 pollers: 20 concurrency + 1,000 a minute: 200T + 83.3T² = 10,000 at T = 9.8 s.
        TriggerSettings provisioned = standard(10, 0, null).withPollers(2, 200);
        Result fast = new Simulation(ONE_SECOND, provisioned, burst(10_000, 10_000)).run();
        assertEquals(9.8, fast.drainedAt(), 1.0);
        assertTrue(fast.cost().pollerHours() > 0);
    }

    @Test
    void aProvisionedPollerCarriesAtMostOneMegabyteASecond() {
        // 2 pollers, 20 invocations at once: 200 records a second by the instance, but 50 kB updates at 1 MB/s a
        // poller are 40 a second: 400 records take 10 s.
        Load large = new Load("large", new double[] { 400 }, 400, 1, 1, 50_000, 1);
        Result result = new Simulation(ONE_SECOND, standard(10, 0, null).withPollers(2, 2), large).run();
        assertEquals(10.5, result.drainedAt(), 1.0);
        assertEquals("poller throughput (20 updates/s each: 1 MB/s, or 10 receives of 10)", result.mainLimit());
    }

    @Test
    void aProvisionedPollerReceivesAtMostTenBatchesOfTenASecond() {
        // 2 pollers, 20 invocations at once of up to 100 records: 2,000 records a second by the instance, and 600-byte
        // updates are far under 1 MB/s (1,666 a second a poller); but a poller makes at most 10 receives a second, of
        // at most 10 messages each: 200 a second for two, so 2,000 records take 10 s, not 1.
        Result result = new Simulation(ONE_SECOND, standard(100, 1, null).withPollers(2, 2), burst(2_000, 2_000)).run();
        assertEquals(10.5, result.drainedAt(), 1.0);
        assertEquals("poller throughput (100 updates/s each: 1 MB/s, or 10 receives of 10)", result.mainLimit());
        // 100,000 updates a second of 250 bytes need 1,000 pollers: the calls, not the bytes (4,000 a poller), bind.
        assertEquals(1_000, 100_000 / Simulation.pollerMessagesPerSecond(250), 1e-9);
    }

    @Test
    void provisionedModesFloorCostsItsTwoPollersAndTheirLongPollsEvenWithNothingToCarry() {
        // 2 pollers a month: 2 × 720 h × $0.00925 = $13.32; each long-polls an empty queue every 20 s:
        // 2 × 2,592,000 s / 20 = 259,200 receives, $0.10 at $0.40 a million.
        Result idle = new Simulation(ONE_SECOND, standard(10, 0, null).withPollers(2, 2), steady(0, 100)).run();
        Simulation.Cost month = idle.monthlyAtSteadyRate();
        assertEquals(13.32, month.pollers(), 1e-6);
        assertEquals(259_200, month.sqsRequests(), 1e-3);
        assertEquals(259_200 * 0.4e-6, month.sqs(), 1e-9);
    }

    @Test
    void standardQueueRequestsCostLessPastOneHundredBillionAMonth() {
        // 250 billion: 100 at $0.40 a million, 100 at $0.30, 50 at $0.24.
        assertEquals(40_000 + 30_000 + 12_000, Prices.sqsStandardMonth(250e9), 1e-6);
        assertEquals(40_000 * 0.5, Prices.sqsStandardMonth(50e9), 1e-6);
    }

    @Test
    void aWindowGathersEachPollersShareOfTheArrivals() {
        // 10 a second over 5 pollers with a 2 s window: each invokes every 2 s with 4 records, so 2.5
        // invocations a second, 2.5 busy on average, and a record waits up to 2 s and then 1 s.
        Result result = new Simulation(ONE_SECOND, standard(100, 2, 10), steady(10, 100)).run();
        Second settled = result.seconds().get(50);
        assertEquals(2.5, settled.invocations(), 1e-6);
        assertEquals(2.5, settled.concurrency(), 1e-6);
        assertEquals(3.0, settled.oldestAgeSeconds(), 1e-6);
        assertEquals(0, result.maxBacklog(), 1e-6);
        assertTrue(result.limitsFirstAt().isEmpty(), result.limitsFirstAt().toString());
        // A month of it: 2.5 invocations of 1 s at 0.5 GB a second; 2.5 × 2 SQS calls a second, and 10 sends.
        Simulation.Cost month = result.monthlyAtSteadyRate();
        double seconds = 30 * 24 * 3600;
        assertEquals(1.25 * seconds * 0.0000166667 + 2.5 * seconds * 0.2e-6, month.lambdaX86(), 1e-6);
        assertEquals(5 * seconds * 0.4e-6, month.sqs(), 1e-6);
        assertEquals(10 * seconds * 0.4e-6, month.sqsSends(), 1e-6);
        assertEquals(3.0, result.steadyP99Age(), 1e-6);
    }

    @Test
    void aFifoQueueRunsNoMoreBatchesThanItHasMessageGroups() {
        // 300 records of 3 groups: 3 batches of 10 at a time, 30 a second: 10 s.
        TriggerSettings fifo = new TriggerSettings(true, "flat", 512, 10, 0, null, null, null, 30, 1_000);
        Result result = new Simulation(ONE_SECOND, fifo, burst(300, 3)).run();
        assertEquals(10.5, result.drainedAt(), 1.0);
        assertEquals("FIFO message groups (3)", result.firstLimit());
        assertEquals("FIFO message groups (3)", result.mainLimit());
        assertEquals(3, result.peakConcurrency(), 1e-6);
    }

    @Test
    void theFunctionsTimeoutBoundsTheBatchItCanTake() {
        // 1 s for 10 records, 100 s for 10,000: 30 s fits 10 + 29 / (99 / 9,990) = 2,936 records.
        InstanceCapacity slow = new InstanceCapacity("flat", 512, 0,
                new Curve(List.of(new Point(10, 1, 1.0, 100), new Point(10_000, 1_000, 100.0, 100))),
                new Curve(List.of(new Point(10, 10, 1.0, 100), new Point(10_000, 10_000, 100.0, 100))));
        Result result = new Simulation(slow, standard(10_000, 1, 2), burst(20_000, 20_000)).run();
        assertTrue(result.timeoutBoundBatch());
        double invocations = result.cost().invocations();
        assertEquals(20_000 / 2_936.4, invocations, 0.05);
        Result unbounded = new Simulation(slow, standard(1_000, 1, 2), burst(20_000, 20_000)).run();
        assertFalse(unbounded.timeoutBoundBatch());
    }

    @Test
    void theSameInputsGiveTheSameFigures() {
        Load finale = Load.finale(2_000, 1_000_000, 60);
        TriggerSettings settings = standard(1_000, 1, 100);
        Result a = new Simulation(ONE_SECOND, settings, finale).run();
        Result b = new Simulation(ONE_SECOND, settings, finale).run();
        assertEquals(a.seconds(), b.seconds());
    }
}
