package io.syncfanout.capacity;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

import io.syncfanout.capacity.Simulation.Result;
import io.syncfanout.capacity.WholeBill.Share;

/**
 * The whole bill ({@code ./capacity --bill}, and {@code docs/capacity.md}'s opening): a million updates priced line
 * by line beside a naive function's; where PubNub's transactions come from as the window, the batch, the load and a
 * user's update rate change; lanes by freshness and Signals; the producers' sends.
 */
final class BillReport {

    /** Everyday loads: the steady model's viewers, 10 updates each in 100 s, 9 of them a playing position. */
    static final List<Double> EVERYDAY = List.of(1_000.0, 10_000.0);
    /** Of a viewer's updates, the playing positions' share: one every 10 s while playing, a state change or watchlist edit now and then. */
    static final double TICK_SHARE = 0.9;
    static final int SECONDS = 1_200;

    private final Scenarios scenarios;
    private final PubNubPrices prices;

    BillReport(Scenarios scenarios, PubNubPrices prices) {
        this.scenarios = scenarios;
        this.prices = prices;
    }

    // --- the loads ---------------------------------------------------------------------------------------------

    /** {@code rate} updates a second, each viewer sending {@code perViewer} updates in 100 s. */
    static Load steady(String name, double rate, double viewers, double perViewer) {
        double[] curve = new double[SECONDS];
        Arrays.fill(curve, rate);
        return new Load(name, curve, Math.max(1, Math.round(viewers)), perViewer, 100, Load.UPDATE_BYTES, Math.min(5, perViewer));
    }

    static Load everyday(double rate) {
        return Load.steady(rate, SECONDS);
    }

    /** The same load as a naive function sees it: one publish a record, so one update a user in each batch (W2's shape). */
    static Load oneAUser(double rate) {
        return steady("one a user", rate, rate * 100, 1);
    }

    static TriggerSettings defaults() {
        return TriggerSettings.moduleDefaults().withMaximumConcurrency(null);
    }

    // --- 1. the bill -------------------------------------------------------------------------------------------

    WholeBill ours(double rate) {
        return WholeBill.of("sync-fanout", scenarios.run(defaults(), everyday(rate)), prices, false);
    }

    WholeBill naive(double rate) {
        return WholeBill.onePublishPerRecord("one publish per record", scenarios.run(defaults(), oneAUser(rate)), prices);
    }

    String headline() {
        StringBuilder md = new StringBuilder();
        List<WholeBill> bills = new ArrayList<>();
        StringBuilder header = new StringBuilder("| a million updates |");
        StringBuilder rule = new StringBuilder("|---|");
        for (double rate : EVERYDAY) {
            bills.add(ours(rate));
            bills.add(naive(rate));
            header.append(String.format(Locale.ROOT, " sync-fanout, %,.0f/s | one publish per record, %,.0f/s |", rate, rate));
            rule.append("---|---|");
        }
        md.append(header).append('\n').append(rule).append('\n');
        line(md, "Lambda (x86_64)", bills, WholeBill::lambda);
        line(md, "SQS: the mapping's receives and deletes", bills, WholeBill::sqsMapping);
        line(md, "SQS: the producers' sends, one an update", bills, WholeBill::sqsSends);
        line(md, "PubNub: publishes (replicated transactions)", bills, WholeBill::replicated);
        line(md, String.format(Locale.ROOT, "PubNub: deliveries to %s devices online (edge transactions)", trim(prices.devicesOnline())), bills,
                WholeBill::edge);
        line(md, String.format(Locale.ROOT, "PubNub: storage (`store=1`, %s days' retention)", trim(prices.retentionDays())), bills,
                WholeBill::storage);
        line(md, "**the whole bill**", bills, WholeBill::total);
        line(md, "PubNub's share", bills, b -> b.pubnub() / b.total(), "%.1f%%", 100);
        line(md, "publishes per update", bills, WholeBill::publishesPerUpdate, "%.3f", 1);
        return md.toString();
    }

    private static void line(StringBuilder md, String name, List<WholeBill> bills, Function<WholeBill, Double> value) {
        line(md, name, bills, value, "$%,.2f", 1);
    }

    private static void line(StringBuilder md, String name, List<WholeBill> bills, Function<WholeBill, Double> value, String format, double scale) {
        md.append("| ").append(name).append(" |");
        for (WholeBill b : bills) {
            md.append(' ').append(String.format(Locale.ROOT, format, value.apply(b) * scale)).append(" |");
        }
        md.append('\n');
    }

    // --- 2. where transactions come from ------------------------------------------------------------------------

    /** One row of a sweep: the settings, what a batch spans, and what it costs and keeps waiting. */
    record Row(String value, double span, double publishesPerUpdate, double pubnubPerMillion, double oldestP99) {
    }

    Row row(String value, TriggerSettings settings, Load load) {
        Result r = scenarios.run(settings, load);
        WholeBill bill = WholeBill.of(value, r, prices, false);
        double span = r.steadyHalf().stream().mapToDouble(s -> s.invocations() > 0 ? s.records() / s.invocations() : 0)
                .filter(n -> n > 0).average().orElse(0) / load.perSecond()[0];
        return new Row(value, span, bill.publishesPerUpdate(), bill.pubnub(), r.goalAge());
    }

    List<Row> byWindow() {
        List<Row> rows = new ArrayList<>();
        rows.add(row("0 s (batch 10)", defaults().withWindow(10, 0), everyday(1_000)));
        for (double window : List.of(1.0, 5.0, 20.0, 60.0, 300.0)) {
            rows.add(row(String.format(Locale.ROOT, "%.0f s", window), defaults().withWindow(10_000, window), everyday(1_000)));
        }
        return rows;
    }

    List<Row> byBatch() {
        List<Row> rows = new ArrayList<>();
        for (int batch : List.of(100, 1_000, 5_000, 10_000)) {
            rows.add(row(String.format(Locale.ROOT, "%,d", batch), defaults().withWindow(batch, 60), everyday(1_000)));
        }
        return rows;
    }

    List<Row> byLoad() {
        List<Row> rows = new ArrayList<>();
        for (double rate : List.of(100.0, 1_000.0, 10_000.0, 100_000.0)) {
            rows.add(row(String.format(Locale.ROOT, "%,.0f/s", rate), defaults().withWindow(10_000, 60), everyday(rate)));
        }
        return rows;
    }

    List<Row> byUserRate() {
        List<Row> rows = new ArrayList<>();
        for (double perViewer : List.of(1.0, 10.0, 100.0, 500.0)) {
            rows.add(row(String.format(Locale.ROOT, "every %s s", trim(100 / perViewer)), defaults().withWindow(10_000, 60),
                    steady("steady 1,000/s", 1_000, 1_000 * 100 / perViewer, perViewer)));
        }
        return rows;
    }

    /** Each lever's runs, titled: what the tables and the chart show. */
    List<LeversChart.Panel> levers() {
        return List.of(new LeversChart.Panel("The batching window, at 1,000 updates a second (batches of up to 10,000)", byWindow()),
                new LeversChart.Panel("The batch size, at 1,000 updates a second (a 60 s window)", byBatch()),
                new LeversChart.Panel("The load (batches of up to 10,000 within 60 s)", byLoad()),
                new LeversChart.Panel("A viewer's update rate, at 1,000 updates a second (batches of up to 10,000 within 60 s)", byUserRate()));
    }

    String sweeps() {
        return sweeps(levers());
    }

    static String sweeps(List<LeversChart.Panel> levers) {
        List<String> columns = List.of("window", "batch", "load", "one update a viewer");
        StringBuilder md = new StringBuilder();
        for (int i = 0; i < levers.size(); i++) {
            md.append(sweep(levers.get(i).title(), columns.get(i), levers.get(i).rows()));
        }
        return md.toString();
    }

    private static String sweep(String title, String column, List<Row> rows) {
        StringBuilder md = new StringBuilder("**").append(title).append("**\n\n| ").append(column)
                .append(" | a batch spans | publishes per update | PubNub per million updates | oldest update p99 |\n|---|---|---|---|---|\n");
        for (Row r : rows) {
            md.append(String.format(Locale.ROOT, "| %s | %.1f s | %.3f | $%,.2f | %.1f s |%n", r.value(), r.span(), r.publishesPerUpdate(),
                    r.pubnubPerMillion(), r.oldestP99()));
        }
        return md.append('\n').toString();
    }

    // --- 3. lanes by freshness, and Signals -----------------------------------------------------------------------

    /** A design of the queues at one load: its bill, and how long each class of update waits (p99). */
    record Lane(String design, WholeBill bill, double freshWait, double tickWait) {
    }

    List<Lane> lanes(double rate) {
        double viewers = rate * 10;
        Load fresh = steady("fresh", rate - rate * TICK_SHARE, viewers, 10 - 10 * TICK_SHARE);
        Load ticks = steady("ticks", rate * TICK_SHARE, viewers, 10 * TICK_SHARE);
        List<Lane> lanes = new ArrayList<>();

        Result today = scenarios.run(defaults(), everyday(rate));
        WholeBill todays = WholeBill.of("one queue (today)", today, prices, false);
        lanes.add(new Lane("one queue (today)", todays, today.goalAge(), today.goalAge()));
        lanes.add(new Lane("one queue, positions as Signals", WholeBill.mix("", List.of(
                new Share(1 - TICK_SHARE, todays), new Share(TICK_SHARE, todays.asSignals(prices, true)))), today.goalAge(), today.goalAge()));

        Result freshRun = scenarios.run(defaults(), fresh);
        WholeBill freshBill = WholeBill.of("fresh", freshRun, prices, false);
        for (double window : List.of(60.0, 300.0)) {
            Result tickRun = scenarios.run(defaults().withWindow(10_000, window), ticks);
            WholeBill tickBill = WholeBill.of("ticks", tickRun, prices, true);
            String name = String.format(Locale.ROOT, "two lanes: positions batched up to 10,000 within %.0f s", window);
            lanes.add(new Lane(name, WholeBill.mix(name, List.of(new Share(1 - TICK_SHARE, freshBill), new Share(TICK_SHARE, tickBill))),
                    freshRun.goalAge(), tickRun.goalAge()));
            if (window == 60) {
                lanes.add(new Lane(name + ", as Signals", WholeBill.mix(name, List.of(new Share(1 - TICK_SHARE, freshBill),
                        new Share(TICK_SHARE, tickBill.asSignals(prices, true)))), freshRun.goalAge(), tickRun.goalAge()));
            }
        }
        // Positions split over 10 queues by user: each queue's batch spans ten times the arrivals of one that takes them all.
        int shards = 10;
        Load shard = steady("ticks, a tenth", rate * TICK_SHARE / shards, viewers / shards, 10 * TICK_SHARE);
        Result shardRun = scenarios.run(defaults().withWindow(10_000, 60), shard);
        WholeBill shardBill = WholeBill.of("ticks", shardRun, prices, true);
        lanes.add(new Lane("two lanes, positions over 10 queues by user, within 60 s", WholeBill.mix("", List.of(
                new Share(1 - TICK_SHARE, freshBill), new Share(TICK_SHARE, shardBill))), freshRun.goalAge(), shardRun.goalAge()));
        return lanes;
    }

    String lanesTable() {
        StringBuilder md = new StringBuilder("| updates/s | design | PubNub per million updates | AWS per million | the whole bill | "
                + "a watchlist edit or state change waits (p99) | a playing position waits (p99) |\n|---|---|---|---|---|---|---|\n");
        for (double rate : EVERYDAY) {
            for (Lane lane : lanes(rate)) {
                md.append(String.format(Locale.ROOT, "| %,.0f | %s | $%,.2f | $%,.2f | $%,.2f | %.1f s | %.1f s |%n", rate, lane.design(),
                        lane.bill().pubnub(), lane.bill().aws(), lane.bill().total(), lane.freshWait(), lane.tickWait()));
            }
        }
        return md.toString();
    }

    // --- 4. the producers' sends --------------------------------------------------------------------------------

    /**
     * Sends per update when each producer (an API server) batches what it sends within {@code holdSeconds}: a
     * SendMessageBatch takes up to 10 messages (and 1 MiB; 250-byte updates are one 64 KiB request each), so a server
     * sending {@code perServer} updates a second fills min(10, perServer × hold) per request, at least one.
     */
    static double sendsPerUpdate(double perServer, double holdSeconds) {
        if (holdSeconds <= 0) {
            return 1;
        }
        return 1 / Math.max(1, Math.min(10, perServer * holdSeconds));
    }

    String producersTable() {
        StringBuilder md = new StringBuilder("| a producer sends | how | requests per update | SQS sends per million updates "
                + "| an update waits in the producer, at most |\n|---|---|---|---|---|\n");
        for (double perServer : List.of(5.0, 50.0, 500.0)) {
            String each = String.format(Locale.ROOT, "%,.0f/s", perServer);
            md.append(producerRow(each, "`SendMessage`, one an update", sendsPerUpdate(perServer, 0), "0"));
            md.append(producerRow(each, "`SqsAsyncBatchManager` (SDK for Java v2), its defaults: 10 or 200 ms", sendsPerUpdate(perServer, 0.2),
                    "200 ms"));
            md.append(producerRow(each, "`SendMessageBatch` of what a second brings, up to 10", sendsPerUpdate(perServer, 1), "1 s"));
        }
        return md.toString();
    }

    private static String producerRow(String each, String how, double sends, String wait) {
        return String.format(Locale.ROOT, "| %s | %s | %.2f | $%.3f | %s |%n", each, how, sends, sends * WholeBill.MILLION * Prices.SQS_REQUEST_STANDARD,
                wait);
    }

    static String trim(double v) {
        return v == Math.rint(v) ? String.format(Locale.ROOT, "%,d", (long) v) : Double.toString(v);
    }
}
