package io.syncfanout.capacity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.syncfanout.capacity.OutageSimulation.Design;
import io.syncfanout.capacity.OutageSimulation.Outage;
import io.syncfanout.capacity.OutageSimulation.Settings;

/** The outage model's arithmetic against cases worked by hand: 10 updates a second, invocations of 1 s. */
class OutageSimulationTest {

    /** Room for everything: 100 x 1,000 records per 1 s invocation, no quota to speak of, 4 days' retention. */
    private static Settings roomy(Design design, double quota, double retention, double parkLimit) {
        return new Settings(design, 100, 1_000, 200, 5, retention, 60, 6, design == Design.PARKED ? 900 : OutageSimulation.IN_PLACE_CAP_SECONDS,
                parkLimit, quota, 0.5, 1, 1, 30, design == Design.PARKED ? 1 : 0.12);
    }

    /**
     * Parked: an update sent at s fails, comes back at s + 1 + 60; if PubNub is still down (s + 61 < 120) it is
     * parked for 360 s and comes back at s + 422. The last sent before recovery that way is s = 58: delivered at
     * 480, 360 s after recovery. The update sent at recovery goes straight through: 1 s, its invocation.
     */
    @Test
    void aTwoMinuteOutageWorkedByHand() {
        OutageSimulation.Result r = new OutageSimulation(roomy(Design.PARKED, 1e12, 345_600, 6 * 3600), new Outage(10, 0, 120)).run();

        assertEquals(0, r.deadLettered(), 1e-9);
        assertEquals(360, r.drainedAfterRecovery(), 1e-9);
        assertEquals(1, r.waitAfterRecovery(), 1e-9);
        assertEquals(0, r.stalledSeconds(), 1e-9);
    }

    /**
     * In place, the failed updates stay in flight: with a quota of 500 the queue stalls after 50 s, and once
     * PubNub is back an update waits behind the quota until the delays expire. Parked, nothing stalls.
     */
    @Test
    void delaysInPlaceFillTheInFlightQuotaAndHoldTheQueueAfterRecovery() {
        OutageSimulation.Result inPlace = new OutageSimulation(roomy(Design.IN_PLACE, 500, 345_600, 0), new Outage(10, 0, 300)).run();
        OutageSimulation.Result parked = new OutageSimulation(roomy(Design.PARKED, 500, 345_600, 6 * 3600), new Outage(10, 0, 300)).run();

        assertTrue(inPlace.stalledSeconds() >= 250 - 50, "stalled from about 50 s on: " + inPlace.stalledSeconds());
        assertEquals(500, inPlace.peakInFlight(), 1e-6, "the quota, reached");
        assertTrue(inPlace.waitAfterRecovery() > 60, "the update sent at recovery waited " + inPlace.waitAfterRecovery() + " s");
        assertEquals(0, parked.stalledSeconds(), 1e-9);
        assertEquals(1, parked.waitAfterRecovery(), 1e-9);
    }

    /**
     * In place, an update received at 0 fails and comes back after 60, 360, 2,160 and 12,960 s: its 5th receive
     * at 15,544 s (4.3 h). PubNub down for 5 h fails that one too, and the 6th receive dead-letters it. Parked,
     * its receives start afresh at each park: nothing is dead-lettered before the 6 h park limit.
     */
    @Test
    void aFiveHourOutageDeadLettersInPlaceButNotParked() {
        Outage fiveHours = new Outage(1, 0, 5 * 3600);
        OutageSimulation.Result inPlace = new OutageSimulation(roomy(Design.IN_PLACE, 1e12, 345_600, 0), fiveHours).run();
        OutageSimulation.Result parked = new OutageSimulation(roomy(Design.PARKED, 1e12, 345_600, 6 * 3600), fiveHours).run();

        assertTrue(inPlace.deadLettered() > 0, "in place: " + inPlace.deadLettered());
        assertEquals(0, parked.deadLettered(), 1e-9);
    }

    /** Past the 6 h park limit a record is listed, and 5 receives of 200 s later dead-lettered: a 7 h outage does. */
    @Test
    void anOutageLongerThanTheParkLimitDeadLettersTheEarliestUpdates() {
        OutageSimulation.Result r = new OutageSimulation(roomy(Design.PARKED, 1e12, 345_600, 6 * 3600), new Outage(1, 0, 7 * 3600)).run();

        assertTrue(r.deadLettered() > 0, "the updates parked since the first hour reached the dead-letter queue");
        assertTrue(r.deadLettered() < 3600 + 1_000, "only those first parked more than 6 h before recovery, less the last path's 17 minutes: "
                + r.deadLettered());
    }

    /**
     * PubNub hanging for 20 minutes: each invocation runs to its 30 s timeout, and the last change delayed only
     * 12% of the failed records in the time left; the rest came back every 200 s + 30 s, and their 6th receive,
     * about 19 minutes in, dead-letters them. Parked, every one is.
     */
    @Test
    void aHangingPubNubDeadLettersWhatTheLastChangeCouldNotDelayButNothingParked() {
        Outage hang = new Outage(10, 0, 20 * 60, true);
        OutageSimulation.Result inPlace = new OutageSimulation(roomy(Design.IN_PLACE, 1e12, 345_600, 0), hang).run();
        OutageSimulation.Result parked = new OutageSimulation(roomy(Design.PARKED, 1e12, 345_600, 6 * 3600), hang).run();

        assertTrue(inPlace.deadLettered() > 0, "in place, in a hang: " + inPlace.deadLettered());
        assertEquals(0, parked.deadLettered(), 1e-9);
    }

    /** The retention counts from a message's own send: a park starts it afresh, a delay in place does not. */
    @Test
    void aRetentionShorterThanTheOutageDeletesUpdatesDelayedInPlaceButNotParkedOnes() {
        Outage twoHours = new Outage(1, 0, 2 * 3600);
        OutageSimulation.Result inPlace = new OutageSimulation(roomy(Design.IN_PLACE, 1e12, 3600, 0), twoHours).run();
        OutageSimulation.Result parked = new OutageSimulation(roomy(Design.PARKED, 1e12, 3600, 6 * 3600), twoHours).run();

        assertTrue(inPlace.expired() > 0, "in place, updates older than an hour were deleted: " + inPlace.expired());
        assertEquals(0, parked.expired(), 1e-9);
    }

    /** What {@code ./capacity --outages} prints, and docs/capacity.md carries: a row a run, parked beside in place. */
    @Test
    void theOutageTableReadsAsTheDocsSayItDoes() throws Exception {
        InstanceCapacity instance = InstanceCapacity.of(InstanceCapacity.read(CapacityReport.BENCH), "native", 512);
        String table = CapacityReport.outages(instance);
        java.util.List<String> rows = table.lines().skip(2).toList();

        assertTrue(table.lines().findFirst().orElseThrow().startsWith("| updates/s | PubNub | design | valid updates dead-lettered "),
                table);
        assertEquals(24, rows.size(), "2 kinds x 2 rates x 3 lengths x 2 designs:\n" + table);
        for (String row : rows) {
            String[] cells = row.split("\\|");
            if (row.contains("parked on the queue")) {
                assertEquals("0", cells[4].trim(), "parked, nothing valid is dead-lettered: " + row);
                assertEquals("0 s", cells[9].trim(), "parked, the queue never stalls: " + row);
            }
        }
        assertTrue(rows.stream().anyMatch(r -> r.contains("delays in place") && !r.split("\\|")[4].trim().equals("0")),
                "the last change dead-letters in some run:\n" + table);
        String docs = java.nio.file.Files.readString(CapacityReport.DOC);
        assertTrue(docs.contains(table), "docs/capacity.md carries the table as ./capacity --report writes it");
    }
}
