package io.syncfanout.capacity;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.syncfanout.capacity.InstanceCapacity.Point;
import io.syncfanout.capacity.Scenarios.Tuned;
import io.syncfanout.capacity.Simulation.Cost;
import io.syncfanout.capacity.Simulation.Result;
import io.syncfanout.capacity.Simulation.Second;

/**
 * The capacity simulator's command line ({@code ./capacity}): one load against one set of settings, second
 * by second, or {@code --report}, which runs the scenarios and rewrites the figures in
 * {@code docs/capacity.md} (between its markers) and {@code docs/capacity-finale.svg}.
 */
public final class CapacityReport {

    static final Path BENCH = Path.of("docs/benchmarks/capacity.json");
    static final Path DOC = Path.of("docs/capacity.md");
    static final Path CHART = Path.of("docs/capacity-finale.svg");
    static final Path LEVERS_CHART = Path.of("docs/capacity-levers.svg");
    static final String BEGIN = "<!-- figures: written by ./capacity --report; edit the prose around them -->";
    static final String END = "<!-- end of figures -->";
    static final String BILL_BEGIN = "<!-- the bill: written by ./capacity --report; edit the prose around it -->";
    static final String BILL_END = "<!-- end of the bill -->";
    static final String LEVERS_BEGIN = "<!-- the levers: written by ./capacity --report; edit the prose around them -->";
    static final String LEVERS_END = "<!-- end of the levers -->";
    static final String USAGE = """
            usage: ./capacity [--load steady:RATE[:SECONDS] | finale[:BASELINE:BURST] | curve:FILE.csv]
                              [--users N] [--updates-per-user K] [--span S] [--message-bytes B] [--busiest-rate R]
                              [--build native|jvm] [--memory MB] [--batch N] [--window S] [--max-concurrency N|none]
                              [--pollers MIN:MAX] [--fifo] [--timeout S] [--account-concurrency N] [--every S]
                   ./capacity --outages   PubNub down for 10 minutes, 1 and 4 hours, both designs, on infra/'s defaults
                   ./capacity --bill      a million updates, line by line, beside a naive function's; where transactions come
                                          from; lanes by freshness and Signals; the producers' sends
                   ./capacity --report
            PubNub (any run): [--devices N] [--retention-days D] [--price-replicated $] [--price-edge $] [--price-signal $]
                              [--price-storage-gb $]; list prices, 2 devices online a user and 7 days' retention by default.
            Defaults: the finale, on infra/'s defaults (native, 512 MB, batch 1,000, window 1 s, maximum_concurrency 100,
            timeout 30 s); per-instance figures from docs/benchmarks/capacity.json (./bench --capacity).""";

    private CapacityReport() {
    }

    public static void main(String[] args) throws IOException {
        List<InstanceCapacity> measured = InstanceCapacity.read(BENCH);
        if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
            System.out.println(USAGE);
            return;
        }
        if (args.length == 1 && args[0].equals("--outages")) {
            System.out.print(outages(InstanceCapacity.of(measured, TriggerSettings.moduleDefaults().build(),
                    TriggerSettings.moduleDefaults().memoryMb())));
            return;
        }
        if (args.length == 1 && args[0].equals("--report")) {
            report(measured);
            return;
        }
        try {
            if (args.length >= 1 && args[0].equals("--bill")) {
                System.out.print(bill(new BillReport(new Scenarios(measured), prices(options(args, 1, PRICE_OPTIONS, List.of())))));
            } else {
                single(measured, args);
            }
        } catch (IllegalArgumentException e) {
            System.err.println("capacity: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
        }
    }

    /** One run, printed a line every {@code --every} seconds, then its summary. */
    static void single(List<InstanceCapacity> measured, String[] args) throws IOException {
        TriggerSettings defaults = TriggerSettings.moduleDefaults();
        List<String> valued = new ArrayList<>(RUN_OPTIONS);
        valued.addAll(PRICE_OPTIONS);
        Map<String, String> o = options(args, 0, valued, List.of("--fifo"));
        boolean fifo = o.containsKey("--fifo");
        String loadSpec = o.getOrDefault("--load", "finale");
        Load load = load(loadSpec, o);
        int batch = Integer.parseInt(o.getOrDefault("--batch", fifo ? "10" : Integer.toString(defaults.batchSize())));
        double window = Double.parseDouble(o.getOrDefault("--window", fifo || batch <= 10 ? "0" : "1"));
        String maxConcurrency = o.getOrDefault("--max-concurrency",
                o.containsKey("--pollers") || fifo ? "none" : Integer.toString(defaults.maximumConcurrency()));
        Integer minPollers = null;
        Integer maxPollers = null;
        if (o.containsKey("--pollers")) {
            String[] p = o.get("--pollers").split(":");
            minPollers = Integer.parseInt(p[0]);
            maxPollers = Integer.parseInt(p[1]);
        }
        TriggerSettings settings = new TriggerSettings(fifo, o.getOrDefault("--build", defaults.build()),
                Integer.parseInt(o.getOrDefault("--memory", Integer.toString(defaults.memoryMb()))), batch, window,
                maxConcurrency.equals("none") ? null : Integer.valueOf(maxConcurrency), minPollers, maxPollers,
                Integer.parseInt(o.getOrDefault("--timeout", "30")), Integer.parseInt(o.getOrDefault("--account-concurrency", "1000")));
        Result r = new Simulation(InstanceCapacity.of(measured, settings.build(), settings.memoryMb()), settings, load).run();
        int every = Integer.parseInt(o.getOrDefault("--every", "10"));
        System.out.printf("%s on %s%n", load.name(), settings.describe());
        System.out.println("second  arrivals/s    backlog  oldest(s)  concurrency  publishes/s  busiest ch/s (unbatched)  Lambda+SQS so far $");
        double cost = 0;
        for (Second s : r.seconds()) {
            Cost second = Cost.of(r, List.of(s));
            cost += second.lambdaX86() + second.sqs();
            if (s.t() % every == 0) {
                System.out.printf(Locale.ROOT, "%6d  %10.0f  %9.0f  %9.1f  %11.1f  %11.0f  %12.1f (%4.1f)  %13.4f%n", s.t(), s.arrivals(), s.backlog(),
                        s.oldestAgeSeconds(), s.concurrency(), s.publishes(), s.busiestChannelRate(), s.busiestChannelUnbatched(), cost);
            }
        }
        System.out.println(summary(r, prices(o)));
    }

    static final List<String> PRICE_OPTIONS = List.of("--devices", "--retention-days", "--price-replicated", "--price-edge", "--price-signal",
            "--price-storage-gb");

    static final List<String> RUN_OPTIONS = List.of("--load", "--users", "--updates-per-user", "--span", "--message-bytes", "--busiest-rate",
            "--build", "--memory", "--batch", "--window", "--max-concurrency", "--pollers", "--timeout", "--account-concurrency", "--every");

    /** From {@code from} on: each of {@code valued} with the value after it, each of {@code flags} alone; anything else is refused. */
    static Map<String, String> options(String[] args, int from, List<String> valued, List<String> flags) {
        Map<String, String> o = new LinkedHashMap<>();
        for (int i = from; i < args.length; i++) {
            if (flags.contains(args[i])) {
                o.put(args[i], "true");
            } else if (!valued.contains(args[i])) {
                throw new IllegalArgumentException("unknown option " + args[i]);
            } else if (i + 1 >= args.length) {
                throw new IllegalArgumentException(args[i] + " needs a value");
            } else {
                o.put(args[i], args[++i]);
            }
        }
        return o;
    }

    /** PubNub's list prices, each replaced where an option gives your contract's. */
    static PubNubPrices prices(Map<String, String> o) {
        PubNubPrices list = PubNubPrices.LIST;
        return new PubNubPrices(number(o, "--price-replicated", list.replicated()), number(o, "--price-edge", list.edge()),
                number(o, "--price-signal", list.signal()), number(o, "--price-storage-gb", list.storageGbMonth()),
                number(o, "--devices", list.devicesOnline()), number(o, "--retention-days", list.retentionDays()));
    }

    private static double number(Map<String, String> o, String name, double otherwise) {
        if (!o.containsKey(name)) {
            return otherwise;
        }
        try {
            return Double.parseDouble(o.get(name));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " takes a number, not '" + o.get(name) + "'");
        }
    }

    /** Everything {@code --bill} prints. */
    static String bill(BillReport bill) {
        return "A million updates (steady, a viewer's 10 updates in 100 s, 250 bytes each; infra/'s defaults without maximum_concurrency):\n\n"
                + bill.headline() + "\nWhere PubNub's transactions come from:\n\n" + bill.sweeps()
                + "Lanes by freshness, and Signals (positions are 90% of updates):\n\n" + bill.lanesTable()
                + "\nThe producers' sends (standard queue):\n\n" + bill.producersTable();
    }

    static Load load(String spec, Map<String, String> o) throws IOException {
        String[] p = spec.split(":", 2);
        Load base = switch (p[0]) {
            case "steady" -> {
                String[] a = p.length > 1 ? p[1].split(":") : new String[] { "1000" };
                yield Load.steady(Double.parseDouble(a[0]), a.length > 1 ? Integer.parseInt(a[1]) : 600);
            }
            case "finale" -> {
                String[] a = p.length > 1 ? p[1].split(":") : new String[] { "2000", "1000000" };
                yield Load.finale(Double.parseDouble(a[0]), Double.parseDouble(a[1]), 600);
            }
            case "curve" -> {
                // One line a second: updates arriving in it (a header line, and a first column of seconds, are allowed).
                List<Double> rates = new ArrayList<>();
                for (String line : Files.readAllLines(Path.of(p[1]))) {
                    String[] cells = line.split(",");
                    try {
                        rates.add(Double.parseDouble(cells[cells.length - 1].trim()));
                    } catch (NumberFormatException header) {
                        // not a number: a header
                    }
                }
                double[] curve = rates.stream().mapToDouble(Double::doubleValue).toArray();
                yield new Load(p[1], curve, 1, 1, 1, Load.UPDATE_BYTES, 1);
            }
            default -> throw new IllegalArgumentException("unknown load " + spec);
        };
        double perUser = Double.parseDouble(o.getOrDefault("--updates-per-user", Double.toString(base.updatesPerUser())));
        long users = Long.parseLong(o.getOrDefault("--users", Long.toString(
                p[0].equals("curve") ? Math.max(1, Math.round(base.totalUpdates() / perUser)) : base.users())));
        return new Load(base.name(), base.perSecond(), users, perUser,
                Double.parseDouble(o.getOrDefault("--span", Double.toString(base.userSpanSeconds()))),
                Integer.parseInt(o.getOrDefault("--message-bytes", Integer.toString(base.messageBytes()))),
                Double.parseDouble(o.getOrDefault("--busiest-rate", Double.toString(base.busiestUserRate()))));
    }

    static String summary(Result r, PubNubPrices prices) {
        Cost c = r.cost();
        WholeBill.Run pubnub = WholeBill.Run.of(r, prices);
        String age = r.load().isSteady() ? String.format(Locale.ROOT, "oldest message p99 %.1f s past the ramp, %.1f s overall, max %.1f s",
                r.steadyP99Age(), r.p99Age(), r.maxAge()) : String.format(Locale.ROOT, "oldest message p99 %.1f s, max %.1f s", r.p99Age(), r.maxAge());
        return String.format(Locale.ROOT, "updates %,.0f; %s at %,.0f s; peak backlog %,.0f; %s; peak concurrency %.0f%n", r.totalUpdates(),
                r.drained() ? "last published" : "gave up, still waiting", r.drainedAt(), r.maxBacklog(), age, r.peakConcurrency())
                + String.format(Locale.ROOT, "busiest channel %.1f messages/s at p99 (%.1f with a publish an update); held up longest by: %s%s%n",
                        r.channelRateP99(), r.peakChannelRateUnbatched(), r.mainLimit(),
                        r.timeoutBoundBatch() ? "; the function's timeout bounds its batch" : "")
                + String.format(Locale.ROOT, "Lambda $%.2f (x86_64) / $%.2f (arm64), %,.0f GB-s incl. %,.0f cold starts; SQS $%.2f (%,.0f receives "
                        + "and deletes), producers' sends $%.2f%s%n", c.lambdaX86(), c.lambdaArm(), c.gbSeconds(),
                        r.coldStarts(), c.sqs(), c.sqsRequests(), c.sqsSends(),
                        c.pollerHours() > 0 ? String.format(Locale.ROOT, "; %.1f poller-hours", c.pollerHours()) : "")
                + String.format(Locale.ROOT, "PubNub $%.2f: publishes $%.2f (%,.0f replicated transactions), deliveries to %s devices $%.2f, "
                        + "storage for %s days $%.2f", pubnub.total(), pubnub.replicated(), c.pubnubTransactions(), BillReport.trim(prices.devicesOnline()),
                        pubnub.edge(), BillReport.trim(prices.retentionDays()), pubnub.storage());
    }

    // --- the report ---------------------------------------------------------------------------------------

    static void report(List<InstanceCapacity> measured) throws IOException {
        Scenarios scenarios = new Scenarios(measured);
        StringBuilder md = new StringBuilder();
        com.fasterxml.jackson.databind.JsonNode bench = new com.fasterxml.jackson.databind.ObjectMapper().readTree(BENCH.toFile());
        md.append(BEGIN).append("\n\n");
        md.append("### One instance\n\n").append(String.format(Locale.ROOT,
                "From `./bench --capacity` (%s to a stand-in adding %d ms; each figure the median of the runs shown), each build held to its "
                        + "memory size's CPU share. Records a second: one warm invocation of 1,000 records, W1's shape (10 a user) and W2's "
                        + "(one a user). Cold: a fresh process's first answer, from process start.%n%n",
                bench.path("transport").asText(), bench.path("latencyMs").asInt()));
        md.append("| build | memory | vCPU | cold | W1 records/s | W1 CPU per 10k | W2 records/s | W2 CPU per 10k | measured | notes |\n")
                .append("|---|---|---|---|---|---|---|---|---|---|\n");
        List<com.fasterxml.jackson.databind.JsonNode> rows = new ArrayList<>();
        bench.path("instances").forEach(rows::add);
        rows.sort(java.util.Comparator.comparing((com.fasterxml.jackson.databind.JsonNode i) -> i.path("build").asText())
                .thenComparingInt(i -> i.path("memoryMb").asInt()));
        for (com.fasterxml.jackson.databind.JsonNode i : rows) {
            InstanceCapacity ic = measured.stream().filter(m -> m.build().equals(i.path("build").asText()) && m.memoryMb() == i.path("memoryMb").asInt())
                    .findFirst().orElse(null);
            String notes = i.path("crashedAtRecords").asInt() > 0
                    ? "exited on " + String.format(Locale.ROOT, "%,d", i.path("crashedAtRecords").asInt()) + " records: " + i.path("error").asText()
                    : i.path("error").isTextual() ? "not measured: " + i.path("error").asText() : "";
            int repeats = i.path("repeats").asInt();
            String when = i.path("date").asText() + ", " + (repeats == 1 ? "one run" : repeats + " runs");
            if (ic == null) {
                md.append(String.format(Locale.ROOT, "| %s | %d MB | %.2f | – | – | – | – | – | %s | %s |%n", i.path("build").asText(),
                        i.path("memoryMb").asInt(), i.path("vcpus").asDouble(), when, notes));
                continue;
            }
            md.append(String.format(Locale.ROOT, "| %s | %d MB | %.2f | %.2f s | %s | %s | %s | %s | %s | %s |%n", ic.build(), ic.memoryMb(), ic.vcpus(),
                    ic.coldSeconds(), perSecond(ic.w1(), 1_000), cpuPer10k(ic.w1(), 1_000), perSecond(ic.w2(), 1_000), cpuPer10k(ic.w2(), 1_000), when,
                    notes));
        }

        List<Result> chart = new ArrayList<>();
        Map<String, Tuned> tunedByLoad = new LinkedHashMap<>();
        for (Load load : Scenarios.loads()) {
            Result former = scenarios.run(TriggerSettings.formerDefaults(), load);
            Result defaults = scenarios.defaults(load);
            Result provisioned = scenarios.provisioned(load);
            Tuned tuned = scenarios.tuned(load, TriggerSettings.moduleDefaults());
            tunedByLoad.put(load.name(), tuned);
            md.append("\n### ").append(load.name().equals("finale") ? "The finale: 1,000,000 updates in 60 s on 2,000 a second" : load.name())
                    .append("\n\n").append(describe(load)).append("\n\n");
            boolean steady = load.isSteady();
            md.append(steady ? "| settings | ramp from idle: peak backlog | oldest message p99, past the ramp (max) | waiting when the load ends"
                    : "| settings | peak backlog | oldest message p99 (max) | last record published at");
            md.append(" | peak concurrency | busiest channel, msg/s p99 (a publish an update) | what held records up longest | what moves it |\n")
                    .append("|---|---|---|---|---|---|---|---|\n");
            for (Result r : List.of(former, defaults, provisioned, tuned.result())) {
                String limit = r.mainLimit();
                String at = r.limitSeconds().containsKey(limit)
                        ? String.format(Locale.ROOT, ", %,.0f s from %,.0f s", r.limitSeconds().get(limit), r.limitsFirstAt().get(limit)) : "";
                String label = r == former ? "former defaults: " : r == defaults ? "defaults: " : r == provisioned ? "provisioned: "
                        : tuned.meetsGoal() ? "tuned: " : "tuned (misses 5 s): ";
                String end = steady ? String.format(Locale.ROOT, "%,.0f%s", r.backlogAtCurveEnd(), r.keptUp() ? "" : " (falls behind)")
                        : r.drained() ? String.format(Locale.ROOT, "%,.0f s", r.drainedAt()) : "never";
                md.append(String.format(Locale.ROOT, "| %s%s | %,.0f | %.1f s (%.1f s) | %s | %,.0f | %.1f (%.1f) | %s%s | %s |%n", label,
                        r.settings().describe(), r.maxBacklog(), r.goalAge(), r.maxAge(), end, r.peakConcurrency(), r.channelRateP99(),
                        r.peakChannelRateUnbatched(), limit, at, r.mainLimitKind().map(l -> l.movedBy).orElse("")));
            }
            md.append("\n| settings | Lambda x86_64 | Lambda arm64 | SQS receives and deletes | producers' SQS sends | PubNub transactions ")
                    .append("| PubNub at list prices | provisioned mode's event pollers |\n")
                    .append("|---|---|---|---|---|---|---|---|\n");
            for (Result r : List.of(former, defaults, provisioned, tuned.result())) {
                Cost c = steady ? r.monthlyAtSteadyRate() : r.cost();
                md.append(String.format(Locale.ROOT, "| %s%s | $%,.2f | $%,.2f | $%,.2f | $%,.2f | %,.0f | $%,.0f | %s |%n", r.settings().describe(),
                        steady && !r.keptUp() ? " (falls behind: only what it publishes)" : "", c.lambdaX86(), c.lambdaArm(), c.sqs(), c.sqsSends(),
                        c.pubnubTransactions(), pubnubDollars(r, steady), c.pollerHours() > 0
                                ? String.format(Locale.ROOT, "$%,.2f (%,.0f poller-hours)", c.pollers(), c.pollerHours()) : "–"));
            }
            md.append(steady ? "\nCosts are a month's (30 days) at the run's steady rate, from its second half.\n"
                    : "\nCosts are the whole event's, from the first second to the last record published.\n");
            if (!steady) {
                chart.addAll(List.of(former, defaults, provisioned));
            }
        }

        md.append("\n### A month at each load, tuned settings\n\n")
                .append("Each load steady for a month, with the cheapest settings that keep the oldest message under 5 s (p99). ")
                .append("PubNub at list prices, two devices online a user and 7 days' retention (its publishes, deliveries and storage; ")
                .append("see [the whole bill](#the-whole-bill-per-million-updates)).\n\n")
                .append("| updates/s | settings | Lambda x86_64 | Lambda arm64 | SQS receives and deletes | producers' SQS sends ")
                .append("| PubNub transactions | PubNub at list prices | oldest p99 | busiest channel msg/s p99 |\n")
                .append("|---|---|---|---|---|---|---|---|---|---|\n");
        for (double rate : List.of(100.0, 1_000.0, 10_000.0, 100_000.0)) {
            Load load = Load.steady(rate, 600);
            Tuned t = tunedByLoad.containsKey(load.name()) ? tunedByLoad.get(load.name()) : scenarios.tuned(load, TriggerSettings.moduleDefaults());
            Cost c = t.result().monthlyAtSteadyRate();
            md.append(String.format(Locale.ROOT, "| %,.0f | %s%s | $%,.2f | $%,.2f | $%,.2f | $%,.2f | %,.0f | $%,.0f | %.1f s | %.1f |%n", rate,
                    t.result().settings().describe(), t.meetsGoal() ? "" : " (misses 5 s)", c.lambdaX86(), c.lambdaArm(), c.sqs(), c.sqsSends(),
                    c.pubnubTransactions(), pubnubDollars(t.result(), true), t.result().goalAge(),
                    t.result().channelRateP99()));
        }

        md.append("\n### By build and memory size, 10,000 updates a second\n\n")
                .append("Batches of 1,000 within 1 s, no `maximum_concurrency`: a month's Lambda cost, and the oldest message.\n\n")
                .append("| build | memory | Lambda x86_64 a month | Lambda arm64 a month | oldest p99 | peak concurrency ")
                .append("| what held records up longest |\n|---|---|---|---|---|---|---|\n");
        List<InstanceCapacity> bySize = new ArrayList<>(measured);
        bySize.sort(java.util.Comparator.comparing(InstanceCapacity::build).thenComparingInt(InstanceCapacity::memoryMb));
        for (InstanceCapacity ic : bySize) {
            TriggerSettings s = TriggerSettings.moduleDefaults().withMaximumConcurrency(null).withInstance(ic.build(), ic.memoryMb());
            Result r = scenarios.run(s, Load.steady(10_000, 600));
            Cost c = r.monthlyAtSteadyRate();
            md.append(String.format(Locale.ROOT, "| %s | %d MB | $%,.2f | $%,.2f | %.1f s | %,.0f | %s |%n", ic.build(), ic.memoryMb(), c.lambdaX86(),
                    c.lambdaArm(), r.goalAge(), r.peakConcurrency(), r.mainLimit()));
        }
        md.append("\n### PubNub's outages\n\n")
                .append("PubNub down in steady traffic, on infra/'s defaults (native, 512 MB, batch 1,000, maximum_concurrency 100, ")
                .append("visibility 200 s, 5 receives, 4 days' retention), with the last change's delays in place beside this one's parks ")
                .append("(`OutageSimulation`; docs/operations.md#outages-and-the-dead-letter-queue). From the outage's start to the drain.\n\n")
                .append(outages(InstanceCapacity.of(measured, TriggerSettings.moduleDefaults().build(), TriggerSettings.moduleDefaults().memoryMb())));
        md.append("\n![The finale: backlog and oldest message by second, former defaults, defaults, provisioned mode](capacity-finale.svg)\n\n").append(END);

        BillReport bill = new BillReport(scenarios, PubNubPrices.LIST);
        String doc = Files.readString(DOC);
        doc = between(doc, BEGIN, END, md.toString());
        doc = between(doc, BILL_BEGIN, BILL_END, BILL_BEGIN + "\n\n" + bill.headline() + "\n" + BILL_END);
        List<LeversChart.Panel> levers = bill.levers();
        doc = between(doc, LEVERS_BEGIN, LEVERS_END, LEVERS_BEGIN + "\n\n" + levers(bill, levers) + LEVERS_END);
        Files.writeString(DOC, doc);
        Files.writeString(LEVERS_CHART, LeversChart.svg(levers));
        Files.writeString(CHART, FinaleChart.svg(chart));
        System.out.println("capacity: wrote the figures in " + DOC + ", " + CHART + " and " + LEVERS_CHART);
    }

    /** PubNub's dollars at list prices: a month's at a steady load's rate, or a whole event's. */
    static double pubnubDollars(Result r, boolean steady) {
        if (!steady) {
            return WholeBill.Run.of(r, PubNubPrices.LIST).total();
        }
        double rate = r.load().perSecond()[r.load().perSecond().length - 1];
        return WholeBill.of("", r, PubNubPrices.LIST, false).pubnub() * rate * Prices.MONTH_SECONDS / WholeBill.MILLION;
    }

    /** {@code doc} with what lies from {@code begin} to {@code end}, both included, replaced by {@code content}. */
    static String between(String doc, String begin, String end, String content) {
        int from = doc.indexOf(begin);
        int to = doc.indexOf(end);
        if (from < 0 || to < from) {
            throw new IllegalStateException(DOC + " has lost its markers: " + begin + " … " + end);
        }
        return doc.substring(0, from) + content + doc.substring(to + end.length());
    }

    /** The levers on PubNub's transactions, as docs/capacity.md carries them. */
    static String levers(BillReport bill, List<LeversChart.Panel> levers) {
        return "#### The window, the batch, the load and a viewer's rate\n\n![Publishes per update and the oldest update's wait as each "
                + "lever moves](capacity-levers.svg)\n\n" + BillReport.sweeps(levers)
                + "#### Lanes by freshness, and Signals\n\nPositions are 90% of the updates (a viewer's 10 in 100 s). PubNub and AWS "
                + "per million updates of both classes together; how long each class waits for its publish, at the 99th percentile.\n\n"
                + bill.lanesTable() + "\n#### The producers' sends\n\n" + bill.producersTable() + "\n";
    }

    /** PubNub down for 10 minutes, 1 and 4 hours at 1,000 and 10,000 updates a second: both designs side by side. */
    static String outages(InstanceCapacity instance) {
        StringBuilder md = new StringBuilder("| updates/s | PubNub | design | valid updates dead-lettered | deleted by the retention "
                + "| backlog drained after recovery | an update sent on recovery waited | peak in flight | queue stalled by the in-flight quota "
                + "| SQS requests | SQS | Lambda |\n|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (boolean hang : List.of(false, true)) {
            for (double rate : List.of(1_000.0, 10_000.0)) {
                for (double minutes : List.of(10.0, 60.0, 240.0)) {
                    String outage = (hang ? "hanging " : "answering 5xx ") + (minutes < 60
                            ? String.format(Locale.ROOT, "%.0f min", minutes) : String.format(Locale.ROOT, "%.0f h", minutes / 60));
                    for (OutageSimulation.Design design : OutageSimulation.Design.values()) {
                        OutageSimulation.Result r = new OutageSimulation(OutageSimulation.Settings.infraDefaults(design, instance),
                                new OutageSimulation.Outage(rate, 60, minutes * 60, hang)).run();
                        md.append(String.format(Locale.ROOT, "| %,.0f | %s | %s | %,.0f | %,.0f | %s | %s | %,.0f | %s | %,.0f | $%,.2f | $%,.2f |%n",
                                rate, outage, design.label, r.deadLettered(), r.expired(), duration(r.drainedAfterRecovery()),
                                duration(r.waitAfterRecovery()), r.peakInFlight(), duration(r.stalledSeconds()), r.sqsRequests(), r.sqsDollars(),
                                r.lambdaDollars()));
                    }
                }
            }
        }
        return md.toString();
    }

    private static String duration(double seconds) {
        if (Double.isNaN(seconds)) {
            return "over a day";
        }
        if (seconds < 120) {
            return String.format(Locale.ROOT, "%.0f s", seconds);
        }
        return seconds < 7_200 ? String.format(Locale.ROOT, "%.0f min", seconds / 60) : String.format(Locale.ROOT, "%.1f h", seconds / 3600);
    }

    static String describe(Load load) {
        return String.format(Locale.ROOT, "%,.0f updates from %,d users, %s a user over %,.0f s, %d bytes each; the busiest user sends %.0f a second.",
                load.totalUpdates(), load.users(), trim(load.updatesPerUser()), load.userSpanSeconds(), load.messageBytes(), load.busiestUserRate());
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    private static String perSecond(InstanceCapacity.Curve curve, int records) {
        return String.format(Locale.ROOT, "%,.0f", records / curve.secondsAt(records));
    }

    private static String cpuPer10k(InstanceCapacity.Curve curve, int records) {
        Point p = curve.points().stream().filter(x -> x.records() == records).findFirst().orElse(null);
        return p == null ? "–" : String.format(Locale.ROOT, "%,d ms", p.cpuMillis() * 10_000 / records);
    }
}
