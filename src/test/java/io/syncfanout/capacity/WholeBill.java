package io.syncfanout.capacity;

import java.util.List;

import io.syncfanout.capacity.Simulation.Cost;
import io.syncfanout.capacity.Simulation.Result;
import io.syncfanout.capacity.Simulation.Second;

/**
 * What a million updates cost, line by line: Lambda, the mapping's SQS requests, the producers' sends, and
 * PubNub's publishes (replicated transactions), deliveries (edge transactions, one a device online), storage
 * and Signals. From a steady run's second half, past its ramp, AWS's lines at a month's tiers.
 *
 * @param publishesPerUpdate publishes (or Signals) PubNub takes per update
 * @param transactionsPerUpdate replicated transactions per update: publishes times their started 2 KiB
 */
public record WholeBill(String label, double lambda, double sqsMapping, double sqsSends, double replicated, double edge, double storage,
        double signals, double publishesPerUpdate, double transactionsPerUpdate) {

    static final double MILLION = 1e6;

    public double aws() {
        return lambda + sqsMapping + sqsSends;
    }

    public double pubnub() {
        return replicated + edge + storage + signals;
    }

    public double total() {
        return aws() + pubnub();
    }

    /**
     * A run as the function publishes: its publishes and their transactions as the simulation counted them. With
     * {@code coalesced}, a user's records of a batch are one title's positions, of which the function publishes the
     * newest alone: one item a publish.
     */
    static WholeBill of(String label, Result run, PubNubPrices prices, boolean coalesced) {
        Tail tail = Tail.of(run);
        int bytes = run.load().messageBytes();
        double publishes = tail.publishes / tail.records;
        double transactions = coalesced ? publishes * ChannelModel.transactionsPerPublish(1, bytes) : tail.transactions / tail.records;
        double stored = coalesced ? publishes * bytes : storedBytes(tail.records, tail.publishes, bytes) / tail.records;
        return priced(label, tail, publishes, transactions, stored, prices);
    }

    /** A run as a naive function publishes: every record its own publish, whatever the batch holds. */
    static WholeBill onePublishPerRecord(String label, Result run, PubNubPrices prices) {
        Tail tail = Tail.of(run);
        int bytes = run.load().messageBytes();
        return priced(label, tail, 1, ChannelModel.transactionsPerPublish(1, bytes), bytes, prices);
    }

    /**
     * What PubNub stores of {@code publishes} carrying {@code records} updates: the updates, and a batch envelope
     * around each publish of two or more. At most {@code records − publishes} publishes hold two or more, so that is
     * the envelopes counted (an upper bound: a publish of three counts two).
     */
    static double storedBytes(double records, double publishes, int bytes) {
        return records * bytes + Math.min(publishes, Math.max(0, records - publishes)) * ChannelModel.ENVELOPE_BYTES;
    }

    private static WholeBill priced(String label, Tail tail, double publishes, double transactions, double storedBytes, PubNubPrices prices) {
        return new WholeBill(label, tail.perMillion(tail.cost.lambdaX86()), tail.perMillion(tail.cost.sqs()), tail.perMillion(tail.cost.sqsSends()),
                MILLION * transactions * prices.replicated(), MILLION * transactions * prices.devicesOnline() * prices.edge(),
                MILLION * prices.storage(storedBytes), 0, publishes, transactions);
    }

    /**
     * The same publishes sent as Signals: a Signal API call each in place of the replicated transactions, not stored.
     * Whether a Signal's deliveries are edge transactions PubNub's pages do not say; {@code deliveriesBilled}
     * keeps them (the cautious reading) or drops them.
     */
    WholeBill asSignals(PubNubPrices prices, boolean deliveriesBilled) {
        return new WholeBill(label + (deliveriesBilled ? ", as Signals" : ", as Signals, deliveries free"), lambda, sqsMapping, sqsSends, 0,
                deliveriesBilled ? MILLION * publishesPerUpdate * prices.devicesOnline() * prices.edge() : 0, 0,
                MILLION * publishesPerUpdate * prices.signal(), publishesPerUpdate, 0);
    }

    /** PubNub's dollars for a whole run, any load: publishes, deliveries and storage. */
    record Run(double replicated, double edge, double storage) {

        static Run of(Result run, PubNubPrices prices) {
            double transactions = 0;
            double stored = 0;
            for (Second s : run.seconds()) {
                transactions += s.transactions();
                stored += storedBytes(s.records(), s.publishes(), run.load().messageBytes());
            }
            return new Run(transactions * prices.replicated(), transactions * prices.devicesOnline() * prices.edge(), prices.storage(stored));
        }

        double total() {
            return replicated + edge + storage;
        }
    }

    /** Two classes of updates in their shares (which sum to 1), each on its own bill: the bill of their mix. */
    static WholeBill mix(String label, List<Share> shares) {
        double[] sum = new double[9];
        for (Share s : shares) {
            WholeBill b = s.bill();
            double[] line = { b.lambda, b.sqsMapping, b.sqsSends, b.replicated, b.edge, b.storage, b.signals, b.publishesPerUpdate,
                    b.transactionsPerUpdate };
            for (int i = 0; i < sum.length; i++) {
                sum[i] += s.share() * line[i];
            }
        }
        return new WholeBill(label, sum[0], sum[1], sum[2], sum[3], sum[4], sum[5], sum[6], sum[7], sum[8]);
    }

    /** A class of updates: its share of all updates, and what a million of its own cost. */
    record Share(double share, WholeBill bill) {
    }

    /** A steady run's second half: what it published, and its AWS cost as a month's. */
    private record Tail(double records, double publishes, double transactions, Cost cost, double monthRecords) {

        static Tail of(Result run) {
            List<Second> tail = run.steadyHalf();
            double records = tail.stream().mapToDouble(Second::records).sum();
            if (records <= 0) {
                throw new IllegalArgumentException("the run published nothing in its second half");
            }
            return new Tail(records, tail.stream().mapToDouble(Second::publishes).sum(), tail.stream().mapToDouble(Second::transactions).sum(),
                    run.monthlyAtSteadyRate(), records * Prices.MONTH_SECONDS / tail.size());
        }

        double perMillion(double monthDollars) {
            return monthDollars / monthRecords * MILLION;
        }
    }
}
