package io.syncfanout.capacity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.syncfanout.capacity.Simulation.Result;
import io.syncfanout.capacity.WholeBill.Share;

/** The whole bill's arithmetic against cases worked by hand, and docs/capacity.md against the model. */
class WholeBillTest {

    static final PubNubPrices LIST = PubNubPrices.LIST;

    /** 1,000 updates a second for 600 s on the flat instance (1 s a batch), each user's single update of {@code bytes}. */
    static Result oneEach(int bytes) {
        double[] curve = new double[600];
        Arrays.fill(curve, 1_000);
        Load load = new Load("steady", curve, 600_000, 1, 1, bytes, 1);
        return new Simulation(SimulationTest.ONE_SECOND, SimulationTest.standard(1_000, 1, null), load).run();
    }

    @Test
    void aMillionUpdatesPublishedOneByOneToViewersWithTwoDevicesOnlineCost123PlusSixtySixDollarsAtPubNub() {
        // The figure: a publish of 250 bytes is one replicated transaction ($0.000123) and, for two devices
        // online, two edge ones ($0.000033 each). Storage: 250 MB for 7 days at $8 a GB-month, 0.25 × 8 × 7 / 30.
        WholeBill naive = WholeBill.onePublishPerRecord("naive", oneEach(250), LIST);
        assertEquals(123.00, naive.replicated(), 1e-9);
        assertEquals(66.00, naive.edge(), 1e-9);
        assertEquals(0.25 * 8 * 7 / 30, naive.storage(), 1e-9);
        assertEquals(1, naive.publishesPerUpdate(), 0);
        // A 3,000-byte update is two started 2 KiB: twice the transactions; stored as its bytes.
        WholeBill large = WholeBill.onePublishPerRecord("naive", oneEach(3_000), LIST);
        assertEquals(246.00, large.replicated(), 1e-9);
        assertEquals(132.00, large.edge(), 1e-9);
        assertEquals(3 * 8 * 7 / 30.0, large.storage(), 1e-9);
    }

    @Test
    void awsLinesAreTheSimulatedMonthPerMillionUpdates() {
        // The flat instance, 1 s a batch: the mapping's five environments each gather a fifth of a second's 1,000
        // arrivals, so 5,000 invocations of 1 s at 0.5 GB a million updates; a receive and a delete per 10 records;
        // a send per update.
        WholeBill bill = WholeBill.onePublishPerRecord("naive", oneEach(250), LIST);
        assertEquals(5_000 * (0.5 * 0.0000166667 + 0.2e-6), bill.lambda(), 1e-6);
        assertEquals(200_000 * 0.40e-6, bill.sqsMapping(), 1e-6);
        assertEquals(1_000_000 * 0.40e-6, bill.sqsSends(), 1e-6);
        assertEquals(bill.aws() + bill.pubnub(), bill.total(), 1e-9);
    }

    @Test
    void storageCountsAnEnvelopeOnlyAroundPublishesOfTwoOrMore() {
        assertEquals(10 * 250, WholeBill.storedBytes(10, 10, 250), 0);      // ten bare publishes
        assertEquals(10 * 250 + 200, WholeBill.storedBytes(10, 1, 250), 0);  // one envelope of ten
        assertEquals(10 * 250 + 4 * 200, WholeBill.storedBytes(10, 4, 250), 0); // four publishes, at most four envelopes
        assertEquals(10 * 250 + 2 * 200, WholeBill.storedBytes(10, 8, 250), 0); // eight publishes: two hold more than one
        // A GB is 10^9 bytes, a month 30 days: 10^9 bytes for 30 days is $8; for a year, 8 × 365 / 30.
        assertEquals(8, LIST.withRetentionDays(30).storage(1e9), 1e-12);
        assertEquals(8 * 365 / 30.0, LIST.withRetentionDays(365).storage(1e9), 1e-12);
    }

    @Test
    void signalsReplacePublishesAndStorageAndKeepOrDropTheirDeliveries() {
        WholeBill half = new WholeBill("half", 0.01, 0.08, 0.40, 61.5, 33, 0.25, 0, 0.5, 0.5);
        WholeBill billed = half.asSignals(LIST, true);
        assertEquals(0, billed.replicated(), 0);
        assertEquals(0, billed.storage(), 0);
        assertEquals(1e6 * 0.5 * 0.000008, billed.signals(), 1e-9);      // $4
        assertEquals(1e6 * 0.5 * 2 * 0.000033, billed.edge(), 1e-9);    // $33
        assertEquals(0, half.asSignals(LIST, false).edge(), 0);
        assertEquals(0.49, billed.aws(), 1e-9);
    }

    @Test
    void aMixIsEachClasssBillInItsShare() {
        WholeBill a = new WholeBill("a", 1, 2, 3, 100, 50, 1, 0, 1, 1);
        WholeBill b = new WholeBill("b", 1, 2, 3, 10, 5, 0, 4, 0.5, 0);
        WholeBill mix = WholeBill.mix("mix", List.of(new Share(0.1, a), new Share(0.9, b)));
        assertEquals(0.1 * 100 + 0.9 * 10, mix.replicated(), 1e-9);
        assertEquals(0.1 * 50 + 0.9 * 5, mix.edge(), 1e-9);
        assertEquals(0.9 * 4, mix.signals(), 1e-9);
        assertEquals(0.1 * 1 + 0.9 * 0.5, mix.publishesPerUpdate(), 1e-9);
        assertEquals(6, mix.aws(), 1e-9);
    }

    @Test
    void aCoalescedLanePublishesTheNewestPositionAloneWhateverItsViewersSentInTheBatch() {
        // A viewer's ten positions in a second; five environments each gather a fifth of a 5 s window's 1,000 a
        // second, so a batch spans 1 s and holds all ten: one publish of one 250-byte item a viewer and batch, where
        // uncoalesced the ten would be one publish of 2,700 bytes, two started 2 KiB.
        double[] curve = new double[600];
        Arrays.fill(curve, 1_000);
        Load positions = new Load("positions", curve, 100, 10, 1, 250, 10);
        Result run = new Simulation(SimulationTest.ONE_SECOND, SimulationTest.standard(10_000, 5, null), positions).run();
        WholeBill coalesced = WholeBill.of("lane", run, LIST, true);
        WholeBill whole = WholeBill.of("lane", run, LIST, false);
        assertEquals(coalesced.publishesPerUpdate(), whole.publishesPerUpdate(), 1e-12);
        assertEquals(coalesced.publishesPerUpdate(), coalesced.transactionsPerUpdate(), 1e-12);
        assertEquals(0.1, coalesced.publishesPerUpdate(), 0.005);
        assertEquals(0.2, whole.transactionsPerUpdate(), 0.01);
    }

    @Test
    void aProducerBatchesWhatItsHoldBringsUpToTenAMessageRequest() {
        assertEquals(1, BillReport.sendsPerUpdate(5, 0), 0);      // SendMessage: one an update
        assertEquals(1, BillReport.sendsPerUpdate(5, 0.2), 0);    // 5 a second bring one within 200 ms
        assertEquals(0.25, BillReport.sendsPerUpdate(20, 0.2), 1e-12); // four within 200 ms
        assertEquals(0.1, BillReport.sendsPerUpdate(500, 0.2), 1e-12); // ten at most a request
        assertEquals(0.2, BillReport.sendsPerUpdate(5, 1), 1e-12);
    }

    @Test
    void docsCapacityOpensWithTheBillTheModelComputes() throws Exception {
        String doc = Files.readString(CapacityReport.DOC);
        String headline = new BillReport(new Scenarios(InstanceCapacity.read(CapacityReport.BENCH)), LIST).headline();
        assertTrue(doc.contains(CapacityReport.BILL_BEGIN + "\n\n" + headline + "\n" + CapacityReport.BILL_END),
                "docs/capacity.md's bill is not what ./capacity --report writes now; run it");
        assertTrue(doc.indexOf(CapacityReport.BILL_BEGIN) < doc.indexOf("## The model's inputs"), "the bill comes first");
    }
}
