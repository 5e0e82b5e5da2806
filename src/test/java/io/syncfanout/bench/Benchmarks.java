package io.syncfanout.bench;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

import io.quarkus.amazon.lambda.runtime.MockEventServer;
import io.syncfanout.local.LambdaProcess;
import io.syncfanout.testing.PubNubStandIn;

/**
 * Runs the packaged function the way Lambda runs it against a stand-in that adds latency, beside
 * the naive SDK publisher and the floor, and writes the figures to docs/benchmarks.md.
 *
 * <pre>./bench [latency-ms=20] [concurrency=32] [--quick] [--cold-start]</pre>
 * {@code --cold-start} measures only the cold starts and prints them, writing nothing.
 */
public final class Benchmarks {

    private final PrintStream out;
    private final int latencyMs;
    private final int concurrency;
    private final boolean quick;
    private final boolean coldOnly;
    private final Map<String, String> figures = new HashMap<>();
    private WireMockServer standIn;
    private MockEventServer runtimeApi;
    private final HttpClient http = HttpClient.newHttpClient();

    Benchmarks(PrintStream out, int latencyMs, int concurrency, boolean quick, boolean coldOnly) {
        this.out = out;
        this.latencyMs = latencyMs;
        this.concurrency = concurrency;
        this.quick = quick;
        this.coldOnly = coldOnly;
    }

    public static void main(String[] args) throws Exception {
        int latency = args.length > 0 && !args[0].startsWith("--") ? Integer.parseInt(args[0]) : 20;
        int concurrency = args.length > 1 && !args[1].startsWith("--") ? Integer.parseInt(args[1]) : 32;
        boolean quick = List.of(args).contains("--quick");
        boolean coldOnly = List.of(args).contains("--cold-start");
        new Benchmarks(System.out, latency, concurrency, quick, coldOnly).run();
        System.exit(0);
    }

    /** Median cold starts, seconds to the first answer, and the part of each Quarkus reports as its own start. */
    record ColdStarts(double seconds, double quarkusStart, double trivialSeconds, double trivialQuarkusStart) {
    }

    /** One measured run of the function on a workload. */
    record Run(double seconds, double functionSeconds, int requests, long cpuMillis, List<Map.Entry<String, byte[]>> publishes) {
    }

    void run() throws Exception {
        standIn = PubNubStandIn.newServer(0);
        standIn.start();
        standIn.setGlobalFixedDelay(latencyMs);
        runtimeApi = new MockEventServer();
        runtimeApi.start(0);
        try {
            Random random = new Random(5);
            List<String> w1 = Workloads.burst(random);
            List<String> w2 = Workloads.spread();
            String w1Event = Workloads.event(w1);
            String w2Event = Workloads.event(w2);
            log("stand-in latency %d ms, concurrency %d; W1 %d records, W2 %d records", latencyMs, concurrency, w1.size(), w2.size());

            Path work = Path.of("target/bench");
            Files.createDirectories(work);
            double roundTripMs = roundTripMs();
            Run ours1;
            Run ours2;
            double[] w3;
            long peakRssKb;
            String oneRecord = Workloads.event(List.of(Workloads.small(random).get(0)));
            ColdStarts cold = coldStarts(oneRecord);
            log("cold start: %.2f s (Quarkus's start %.2f s); trivial Funqy function: %.2f s (%.2f s)", cold.seconds(), cold.quarkusStart(),
                    cold.trivialSeconds(), cold.trivialQuarkusStart());
            if (coldOnly) {
                return;
            }
            try (LambdaProcess function = startFunction(work.resolve("default"), Map.of())) {
                invoke(oneRecord);
                warmUp(w1Event, w2Event, random);
                ours1 = median(function, w1Event, 3);
                ours2 = median(function, w2Event, 3);
                w3 = smallBatches(random, quick ? 200 : 1_000);
                w3 = java.util.Arrays.copyOf(w3, 4);
                w3[3] = median(ownMillis(function.output(), 10).stream().mapToDouble(Long::doubleValue).toArray());
                peakRssKb = status(function.pid(), "VmHWM:");
            }
            Run small;
            try (LambdaProcess function = startFunction(work.resolve("xmx128"), Map.of("JAVA_TOOL_OPTIONS", "-Xmx128m"))) {
                invoke(Workloads.event(List.of(Workloads.small(random).get(0))));
                warmUp(w1Event, w2Event, random);
                small = median(function, w1Event, 3);
            }
            double floorSeconds = medianSeconds(() -> Peers.floor(standIn.port(), ours1.publishes(), concurrency), 3);
            log("floor: %.3f s", floorSeconds);
            double sdkConcurrent = medianSeconds(() -> Peers.naiveSdk(standIn.port(), w1, concurrency), 3);
            log("naive SDK, %d threads: %.2f s", concurrency, sdkConcurrent);
            int sequentialRecords = quick ? 1_000 : w1.size();
            double sdkSequential = Peers.naiveSdk(standIn.port(), w1.subList(0, sequentialRecords), 1) / 1e9 * w1.size() / sequentialRecords;
            log("naive SDK, sequential: %.2f s%s", sdkSequential, quick ? " (extrapolated from 1,000 records)" : "");

            Report report = new Report(LocalDate.now().toString(), latencyMs, concurrency, w1.size(), w2.size(), ours1, ours2, w3, roundTripMs,
                    cold, peakRssKb, small, floorSeconds, sdkConcurrent, sdkSequential, quick);
            report.write(Path.of("docs/benchmarks.md"), Path.of("docs/benchmarks.png"));
            log("wrote docs/benchmarks.md and docs/benchmarks.png");
            out.println(report.markdown());
        } finally {
            runtimeApi.close();
            standIn.stop();
        }
    }

    /**
     * Seconds from starting the process to its first answer, as on a Lambda cold start: the median
     * of seven (fifteen with --cold-start), the function and the trivial one taking turns so that
     * both meet the same machine (on this shared 2-core VM a single start varies by half).
     */
    private ColdStarts coldStarts(String event) throws Exception {
        int runs = coldOnly ? 15 : 7;
        double[][] ours = new double[2][runs];
        double[][] trivial = new double[2][runs];
        for (int i = 0; i < runs; i++) {
            double[] one = coldStart(Path.of("target/function.zip"), LambdaProcess.HANDLER, Path.of("target/bench/cold"), event);
            ours[0][i] = one[0];
            ours[1][i] = one[1];
            one = coldStart(Path.of("benchmarks/trivial-funqy/target/function.zip"),
                    "io.quarkus.funqy.lambda.FunqyStreamHandler::handleRequest", Path.of("target/bench/cold-trivial"), event);
            trivial[0][i] = one[0];
            trivial[1][i] = one[1];
        }
        return new ColdStarts(median(ours[0]), median(ours[1]), median(trivial[0]), median(trivial[1]));
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static final java.util.regex.Pattern STARTED_IN = java.util.regex.Pattern.compile("started in ([0-9.]+)s");

    /** Seconds to the first answer, and the seconds Quarkus says its own start took (the rest is the JVM and the first invocation). */
    private double[] coldStart(Path zip, String handler, Path work, String event) throws Exception {
        Files.createDirectories(work);
        try (LambdaProcess function = LambdaProcess.start(zip, work, "127.0.0.1:" + runtimeApi.getPort() + MockEventServer.BASE_PATH,
                handler, Map.of("PUBNUB_ORIGIN", "http://127.0.0.1:" + standIn.port(), "PUBNUB_PUBLISH_KEY", "demo-pub",
                        "PUBNUB_SUBSCRIBE_KEY", "demo-sub"))) {
            invoke(event);
            double seconds = (System.nanoTime() - function.startedNanos()) / 1e9;
            double startedIn = function.output().stream().map(STARTED_IN::matcher).filter(java.util.regex.Matcher::find)
                    .mapToDouble(m -> Double.parseDouble(m.group(1))).findFirst().orElse(Double.NaN);
            return new double[] { seconds, startedIn };
        }
    }

    /** The same warm-up for every function process measured, so that both are equally warm. */
    private void warmUp(String w1Event, String w2Event, Random random) throws Exception {
        invoke(w1Event);
        invoke(w2Event);
        for (int i = 0; i < 100; i++) {
            invoke(Workloads.event(Workloads.small(random)));
        }
    }

    private LambdaProcess startFunction(Path work, Map<String, String> extra) throws Exception {
        Files.createDirectories(work);
        Map<String, String> env = new HashMap<>(Map.of("PUBNUB_ORIGIN", "http://127.0.0.1:" + standIn.port(),
                "PUBNUB_PUBLISH_KEY", "demo-pub", "PUBNUB_SUBSCRIBE_KEY", "demo-sub",
                "SYNC_PUBLISH_CONCURRENCY", Integer.toString(concurrency), "SYNC_TIME_BUDGET", "120s"));
        env.putAll(extra);
        return LambdaProcess.start(Path.of("target/function.zip"), work, "127.0.0.1:" + runtimeApi.getPort() + MockEventServer.BASE_PATH,
                LambdaProcess.HANDLER, env);
    }

    private Run median(LambdaProcess function, String event, int times) throws Exception {
        List<Run> runs = new ArrayList<>();
        for (int i = 0; i < times; i++) {
            standIn.resetRequests();
            int summariesBefore = ownMillis(function.output(), -1).size();
            long cpu0 = cpuMillis(function.pid());
            long start = System.nanoTime();
            invoke(event);
            double seconds = (System.nanoTime() - start) / 1e9;
            long cpu = cpuMillis(function.pid()) - cpu0;
            List<Map.Entry<String, byte[]>> publishes = new ArrayList<>();
            for (ServeEvent served : standIn.getAllServeEvents()) {
                publishes.add(new AbstractMap.SimpleEntry<>(served.getRequest().getUrl(), served.getRequest().getBody()));
            }
            runs.add(new Run(seconds, ownMillisAfter(function, summariesBefore) / 1e3, publishes.size(), cpu, publishes));
        }
        runs.sort((a, b) -> Double.compare(a.seconds(), b.seconds()));
        Run median = runs.get(times / 2);
        log("function: %.3f s (its own time %.3f s), %d requests, %d ms CPU", median.seconds(), median.functionSeconds(), median.requests(),
                median.cpuMillis());
        return median;
    }

    private double[] smallBatches(Random random, int invocations) throws Exception {
        double[] millis = new double[invocations];
        for (int i = 0; i < invocations; i++) {
            String event = Workloads.event(Workloads.small(random));
            long start = System.nanoTime();
            invoke(event);
            millis[i] = (System.nanoTime() - start) / 1e6;
        }
        java.util.Arrays.sort(millis);
        double p50 = millis[invocations / 2];
        double p99 = millis[(int) Math.floor(invocations * 0.99) - 1];
        log("W3: p50 %.1f ms, p99 %.1f ms over %d invocations", p50, p99, invocations);
        return new double[] { p50, p99, invocations };
    }

    private static final java.util.regex.Pattern SUMMARY = java.util.regex.Pattern.compile("sync-fanout invocation: records=(\\d+) .* ms=(\\d+)");

    /**
     * The function's own times (its summary's {@code ms=}, start to answer), in order, of its
     * invocations of {@code records} records, or of all of them when {@code records} is negative:
     * the client-side figure also holds the local Runtime API's hops.
     */
    static List<Long> ownMillis(List<String> log, int records) {
        List<Long> millis = new ArrayList<>();
        for (String line : log) {
            java.util.regex.Matcher m = SUMMARY.matcher(line);
            if (m.find() && (records < 0 || Integer.parseInt(m.group(1)) == records)) {
                millis.add(Long.parseLong(m.group(2)));
            }
        }
        return millis;
    }

    /** The own time of the invocation after the first {@code before}; its line may reach the log just after the answer. */
    static long ownMillisAfter(LambdaProcess function, int before) throws InterruptedException {
        for (int waited = 0; waited < 200; waited++) {
            List<Long> millis = ownMillis(function.output(), -1);
            if (millis.size() > before) {
                return millis.get(before);
            }
            Thread.sleep(10);
        }
        throw new IllegalStateException("the function wrote no invocation summary");
    }

    /** One publish round trip to the stand-in: the latency every publish pays at least. */
    private double roundTripMs() throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + standIn.port() + "/publish/demo-pub/demo-sub/0/user.rtt.sync/0?uuid=bench&store=1");
        double[] millis = new double[200];
        for (int i = -100; i < millis.length; i++) { // the first hundred warm the client and are not counted
            long start = System.nanoTime();
            http.send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString("{\"a\":1}")).build(),
                    HttpResponse.BodyHandlers.discarding());
            if (i >= 0) {
                millis[i] = (System.nanoTime() - start) / 1e6;
            }
        }
        java.util.Arrays.sort(millis);
        return millis[millis.length / 2];
    }

    private String invoke(String event) throws Exception {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + runtimeApi.getPort() + "/"))
                .timeout(Duration.ofMinutes(5)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(event)).build(), HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 200 || !answer.body().contains("\"batchItemFailures\":[]")) {
            throw new IllegalStateException("the function did not deliver everything: HTTP " + answer.statusCode() + " "
                    + answer.body().substring(0, Math.min(300, answer.body().length())));
        }
        return answer.body();
    }

    interface Timed {
        long nanos() throws Exception;
    }

    private static double medianSeconds(Timed timed, int times) throws Exception {
        double[] seconds = new double[times];
        for (int i = 0; i < times; i++) {
            seconds[i] = timed.nanos() / 1e9;
        }
        return median(seconds);
    }

    /** User plus system CPU of a process, from /proc (clock ticks of 10 ms). */
    static long cpuMillis(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10;
    }

    static long status(long pid, String field) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith(field)) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return -1;
    }

    private void log(String format, Object... args) {
        out.printf("bench: " + format + "%n", args);
    }
}
