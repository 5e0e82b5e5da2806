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
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

import io.syncfanout.local.LambdaProcess;
import io.syncfanout.local.LambdaRuntimeApi;
import io.syncfanout.local.LambdaSize;
import io.syncfanout.testing.PubNubStandIn;

/**
 * Runs the packaged function (the JVM build and the native one) the way Lambda runs it, held to the
 * CPU share and memory of a Lambda memory size, against a PubNub stand-in that adds latency, beside
 * the floor held to the same share; writes the figures to {@code docs/benchmarks/<size>.json} and,
 * from all of them, {@code docs/benchmarks.md}.
 *
 * <pre>./bench [--memory 512[,1024,1769,whole]] [--builds jvm,native] [--latency 20] [--peers] [--quick] [--cold-start]</pre>
 */
public final class Benchmarks {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Path RESULTS = Path.of("docs/benchmarks");
    /** Where ./bench leaves each build's function.zip. */
    static final Path BUILDS = Path.of("target/bench");
    private static final Pattern SUMMARY = Pattern.compile("sync-fanout invocation: records=(\\d+) .*failed=(\\d+) .* ms=(\\d+)");
    private static final Pattern STARTED_IN = Pattern.compile("started in ([0-9.]+)s");
    private static final Pattern SETTINGS = Pattern.compile("publishing with concurrency=(\\d+)");

    private final PrintStream out;
    private final Options options;
    private WireMockServer standIn;
    private LambdaRuntimeApi runtimeApi;
    private final HttpClient http = HttpClient.newHttpClient();

    /**
     * @param sizes memory sizes in MB, 0 for the whole machine
     * @param timeout the function timeout Lambda's deadline counts
     */
    record Options(List<Integer> sizes, List<String> builds, int latencyMs, Duration timeout, boolean peers, boolean quick,
            boolean coldOnly, String javaOptions) {

        static Options parse(String[] args) {
            List<Integer> sizes = List.of(512);
            List<String> builds = List.of("jvm", "native");
            int latency = 20;
            Duration timeout = Duration.ofSeconds(30);
            boolean peers = false;
            boolean quick = false;
            boolean coldOnly = false;
            String javaOptions = null;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--memory" -> sizes = Arrays.stream(args[++i].split(",")).map(s -> s.equals("whole") ? 0 : Integer.parseInt(s)).toList();
                    case "--builds" -> builds = List.of(args[++i].split(","));
                    case "--latency" -> latency = Integer.parseInt(args[++i]);
                    case "--timeout" -> timeout = Duration.ofSeconds(Long.parseLong(args[++i]));
                    case "--peers" -> peers = true;
                    case "--quick" -> quick = true;
                    case "--cold-start" -> coldOnly = true;
                    case "--java-options" -> javaOptions = args[++i];
                    default -> throw new IllegalArgumentException("unknown option " + args[i]
                            + "; usage: ./bench [--memory 512[,1024,1769,whole]] [--builds jvm,native] [--latency MS] [--timeout S]"
                            + " [--peers] [--quick] [--cold-start] [--java-options '-XX:…']");
                }
            }
            return new Options(sizes, builds, latency, timeout, peers, quick, coldOnly, javaOptions);
        }

        int repeat(int full) {
            return quick ? Math.max(1, full / 3) : full;
        }
    }

    Benchmarks(PrintStream out, Options options) {
        this.out = out;
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        if (Arrays.asList(args).contains("--tls")) {
            TlsBenchmark.main(args);
            return;
        }
        if (Arrays.asList(args).contains("--memory-headroom")) {
            MemoryHeadroomBenchmark.main(args);
            return;
        }
        if (Arrays.asList(args).contains("--h2-servers")) {
            Http2ServersBenchmark.main(args);
            return;
        }
        if (Arrays.asList(args).contains("--queue")) {
            QueueLatencyBenchmark.main(args);
            return;
        }
        if (Arrays.asList(args).contains("--capacity")) {
            CapacityBenchmark.main(args);
            return;
        }
        new Benchmarks(System.out, Options.parse(args)).run();
        System.exit(0);
    }

    void run() throws Exception {
        // Plain HTTP still: the floor and the peers below speak it. Over TLS: issue 18's benchmark table.
        standIn = PubNubStandIn.newServer(0, PubNubStandIn.Transport.HTTP);
        standIn.start();
        standIn.setGlobalFixedDelay(options.latencyMs());
        runtimeApi = LambdaRuntimeApi.start(options.timeout());
        try {
            // A stand-in that has served nothing answers its first requests slowly: warm it first.
            double roundTripMs = roundTripMs();
            log("stand-in: %d ms latency, %.1f ms a round trip", options.latencyMs(), roundTripMs);
            Workload w1 = Workload.of(Workloads.burst(new Random(5)));
            String oneRecord = Workloads.event(List.of(Workloads.small(new Random(7)).get(0)));
            for (int memoryMb : options.sizes()) {
                List<BuildFigures> builds = new ArrayList<>();
                for (String build : options.builds()) {
                    Path zip = BUILDS.resolve(build).resolve("function.zip");
                    if (!Files.exists(zip)) {
                        log("%s: no %s (./bench builds it), skipped", build, zip);
                        continue;
                    }
                    builds.add(measure(build, zip, memoryMb, w1, oneRecord));
                }
                if (options.coldOnly() || builds.isEmpty()) {
                    continue;
                }
                Peers.Figures peers = options.peers() && memoryMb == 0 ? peers(w1) : null;
                SizeResults results = new SizeResults(memoryMb, LocalDate.now().toString(), options.latencyMs(),
                        options.timeout().toSeconds(), Runtime.getRuntime().availableProcessors(), builds, peers);
                Files.createDirectories(RESULTS);
                JSON.writerWithDefaultPrettyPrinter().writeValue(RESULTS.resolve(results.key() + ".json").toFile(), results);
                log("wrote %s", RESULTS.resolve(results.key() + ".json"));
            }
            if (!options.coldOnly()) {
                Report report = Report.load(RESULTS);
                report.write(Path.of("docs/benchmarks.md"), Path.of("docs/benchmarks.png"));
                log("wrote docs/benchmarks.md and docs/benchmarks.png");
            }
        } finally {
            runtimeApi.close();
            standIn.stop();
        }
    }

    /** W1's records as an SQS event, and how many there are. */
    record Workload(String event, int records, List<String> bodies) {
        static Workload of(List<String> bodies) {
            return new Workload(Workloads.event(bodies), bodies.size(), bodies);
        }
    }

    /** Everything one build is measured on at one size. */
    private BuildFigures measure(String build, Path zip, int memoryMb, Workload w1, String oneRecord) throws Exception {
        String where = memoryMb == 0 ? "whole machine" : memoryMb + " MB";
        Path work = BUILDS.resolve("runs").resolve(build + "-" + (memoryMb == 0 ? "whole" : memoryMb));
        Files.createDirectories(work);
        try (LambdaSize size = memoryMb == 0 ? null : LambdaSize.of(memoryMb)) {
            double[] cold = new double[options.repeat(5)];
            double[] quarkusStart = new double[cold.length];
            for (int i = 0; i < cold.length; i++) {
                try (LambdaProcess function = start(zip, work, size)) {
                    invoke(function, oneRecord);
                    cold[i] = (System.nanoTime() - function.startedNanos()) / 1e9;
                    quarkusStart[i] = function.output().stream().map(STARTED_IN::matcher).filter(Matcher::find)
                            .mapToDouble(m -> Double.parseDouble(m.group(1))).findFirst().orElse(Double.NaN);
                }
            }
            log("%s, %s: cold start %.3f s (Quarkus's own start %.3f s)", build, where, median(cold), median(quarkusStart));
            if (options.coldOnly()) {
                return null;
            }

            List<Run> coldW1 = new ArrayList<>();
            for (int i = 0; i < options.repeat(3); i++) {
                try (LambdaProcess function = start(zip, work, size)) {
                    coldW1.add(measured(function, w1));
                }
            }
            Run coldMedian = median(coldW1);
            log("%s, %s: cold W1 %.3f s from start, %d of %d failed", build, where, coldMedian.fromStartSeconds(), coldMedian.failed(),
                    w1.records());

            List<Run> warm = new ArrayList<>();
            int concurrency;
            long peakRssKb;
            try (LambdaProcess function = start(zip, work, size)) {
                for (int i = 0; i < options.repeat(3); i++) {
                    invoke(function, w1.event());
                }
                Random random = new Random(11);
                for (int i = 0; i < 50; i++) {
                    invoke(function, Workloads.event(Workloads.small(random)));
                }
                // Seven: at a fraction of a CPU, one run lands on the share's throttling differently from the next.
                for (int i = 0; i < options.repeat(7); i++) {
                    warm.add(measured(function, w1));
                }
                concurrency = function.output().stream().map(SETTINGS::matcher).filter(Matcher::find)
                        .mapToInt(m -> Integer.parseInt(m.group(1))).findFirst().orElse(-1);
                peakRssKb = status(function.pid(), "VmHWM:");
            }
            Run warmMedian = median(warm);
            log("%s, %s: warm W1 %.3f s own, %d ms CPU, %d failed, concurrency %d", build, where, warmMedian.ownSeconds(),
                    warmMedian.cpuMillis(), warmMedian.failed(), concurrency);

            double[] floor = floor(warmMedian.publishes(), concurrency > 0 ? concurrency : 32, size, work);
            log("%s, %s: floor %.3f s, %.0f ms CPU on Vert.x's client; %.3f s, %.0f ms CPU on the JDK's", build, where, floor[0], floor[1],
                    floor[2], floor[3]);
            return new BuildFigures(build, concurrency, median(cold), median(quarkusStart), coldMedian.fromStartSeconds(),
                    coldMedian.ownSeconds(), coldMedian.failed(), coldMedian.cpuMillis(), warmMedian.ownSeconds(),
                    warmMedian.clientSeconds(), warmMedian.failed(), warmMedian.cpuMillis(), warmMedian.requests(), floor[0],
                    (long) floor[1], floor[2], (long) floor[3], peakRssKb, w1.records());
        }
    }

    /**
     * One measured invocation.
     *
     * @param fromStartSeconds from starting the process to the answer (a cold invocation's whole wait)
     * @param clientSeconds from posting the event to the answer
     * @param ownSeconds the function's own time, from its summary line
     * @param cpuMillis the function process's CPU over the invocation
     */
    record Run(double fromStartSeconds, double clientSeconds, double ownSeconds, int failed, long cpuMillis, int requests,
            List<Map.Entry<String, byte[]>> publishes) {
    }

    private Run measured(LambdaProcess function, Workload workload) throws Exception {
        standIn.resetRequests();
        int summariesBefore = summaries(function.output()).size();
        long cpu0 = cpuMillis(function.pid());
        long start = System.nanoTime();
        String answer = invoke(function, workload.event());
        long end = System.nanoTime();
        long cpu = cpuMillis(function.pid()) - cpu0;
        int failed = failedRecords(answer);
        List<Map.Entry<String, byte[]>> publishes = new ArrayList<>();
        for (ServeEvent served : standIn.getAllServeEvents()) {
            if (served.getResponse().getStatus() == 200) {
                publishes.add(new AbstractMap.SimpleEntry<>(served.getRequest().getUrl(), served.getRequest().getBody()));
            }
        }
        long ownMillis = ownMillisAfter(function, summariesBefore);
        return new Run((end - function.startedNanos()) / 1e9, (end - start) / 1e9, ownMillis / 1e3, failed, cpu, publishes.size(),
                publishes);
    }

    /**
     * The floor in a process held to the same size: median seconds and CPU milliseconds per run on
     * Vert.x's HTTP client (the one the function sends with), then on the JDK's.
     */
    private double[] floor(List<Map.Entry<String, byte[]>> publishes, int concurrency, LambdaSize size, Path work) throws Exception {
        Path file = work.resolve("w1-publishes.bin");
        Floor.write(file, publishes);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.util.logging.manager=org.jboss.logmanager.LogManager", "-cp", System.getProperty("java.class.path"),
                Floor.class.getName(), file.toString(),
                Integer.toString(standIn.port()), Integer.toString(concurrency), "5", Integer.toString(options.repeat(7))));
        Process process = new ProcessBuilder(size == null ? command : size.wrap(command)).redirectErrorStream(true).start();
        String printed = new String(process.getInputStream().readAllBytes());
        Matcher vertx = Pattern.compile("floor vertx ([0-9.]+) (\\d+)").matcher(printed);
        Matcher jdk = Pattern.compile("floor jdk ([0-9.]+) (\\d+)").matcher(printed);
        if (process.waitFor() != 0 || !vertx.find() || !jdk.find()) {
            throw new IllegalStateException("the floor failed: " + printed);
        }
        return new double[] { Double.parseDouble(vertx.group(1)), Double.parseDouble(vertx.group(2)), Double.parseDouble(jdk.group(1)),
                Double.parseDouble(jdk.group(2)) };
    }

    /** Whole machine only: the naive SDK publisher on W1, W2 (one record per user) and W3 (small batches). */
    private Peers.Figures peers(Workload w1) throws Exception {
        double sdkConcurrent = Peers.naiveSdk(standIn.port(), w1.bodies(), 32) / 1e9;
        double sdkSequential = Peers.naiveSdk(standIn.port(), w1.bodies().subList(0, 1_000), 1) / 1e9 * w1.records() / 1_000;
        log("naive SDK: %.2f s at 32 threads, %.1f s sequential (from 1,000 records)", sdkConcurrent, sdkSequential);
        Workload w2 = Workload.of(Workloads.spread());
        Path zip = BUILDS.resolve("jvm").resolve("function.zip");
        Path work = BUILDS.resolve("runs").resolve("peers");
        Files.createDirectories(work);
        try (LambdaProcess function = start(zip, work, null)) {
            invoke(function, w1.event());
            invoke(function, w2.event());
            Run spread = measured(function, w2);
            Random random = new Random(13);
            double[] small = new double[options.repeat(600)];
            for (int i = 0; i < small.length; i++) {
                long start = System.nanoTime();
                invoke(function, Workloads.event(Workloads.small(random)));
                small[i] = (System.nanoTime() - start) / 1e6;
            }
            log("W2 %.3f s own, %d requests; W3 p50 %.1f ms", spread.ownSeconds(), spread.requests(), median(small));
            return new Peers.Figures(sdkConcurrent, sdkSequential, spread.ownSeconds(), spread.requests(), w2.records(), median(small),
                    roundTripMs());
        }
    }

    private LambdaProcess start(Path zip, Path work, LambdaSize size) throws Exception {
        Map<String, String> environment = new HashMap<>(Map.of("PUBNUB_ORIGIN", "http://127.0.0.1:" + standIn.port(),
                "PUBNUB_PUBLISH_KEY", "demo-pub", "PUBNUB_SUBSCRIBE_KEY", "demo-sub"));
        if (options.javaOptions() != null) {
            environment.put("JAVA_TOOL_OPTIONS", options.javaOptions()); // the JVM build's; the native build ignores it
        }
        return LambdaProcess.start(zip, work, runtimeApi.address(), LambdaProcess.HANDLER, environment, size);
    }

    private String invoke(LambdaProcess function, String event) throws Exception {
        HttpResponse<String> answer = runtimeApi.invoke(event, function);
        if (answer.statusCode() != 200) {
            throw new IllegalStateException("the function failed as a whole: HTTP " + answer.statusCode() + " "
                    + answer.body().substring(0, Math.min(300, answer.body().length())));
        }
        return answer.body();
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
        return median(millis);
    }

    /** The function's summary lines so far: records, failed, own milliseconds. */
    static List<long[]> summaries(List<String> log) {
        List<long[]> summaries = new ArrayList<>();
        for (String line : log) {
            Matcher m = SUMMARY.matcher(line);
            if (m.find()) {
                summaries.add(new long[] { Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(3)) });
            }
        }
        return summaries;
    }

    /** The own time of the invocation after the first {@code before}; its line may reach the log just after the answer. */
    static long ownMillisAfter(LambdaProcess function, int before) throws InterruptedException {
        for (int waited = 0; waited < 500; waited++) {
            List<long[]> summaries = summaries(function.output());
            if (summaries.size() > before) {
                return summaries.get(before)[2];
            }
            Thread.sleep(10);
        }
        throw new IllegalStateException("the function wrote no invocation summary");
    }

    private static Run median(List<Run> runs) {
        List<Run> sorted = new ArrayList<>(runs);
        sorted.sort((a, b) -> Double.compare(a.ownSeconds(), b.ownSeconds()));
        return sorted.get(sorted.size() / 2);
    }

    /** One warm invocation as the TLS benchmarks measure it: the function's own seconds, records failed, CPU milliseconds. */
    record Warm(double ownSeconds, int failed, long cpuMillis) {
    }

    /** {@code runs} warm invocations of {@code event}, each measured by its own summary line and the process's CPU. */
    static List<Warm> warmRuns(LambdaRuntimeApi runtimeApi, LambdaProcess function, String event, int runs) throws Exception {
        List<Warm> warm = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            int before = summaries(function.output()).size();
            long cpu0 = cpuMillis(function.pid());
            HttpResponse<String> answer = runtimeApi.invoke(event, function);
            long cpu = cpuMillis(function.pid()) - cpu0;
            warm.add(new Warm(ownMillisAfter(function, before) / 1e3, failedRecords(answer.body()), cpu));
        }
        return warm;
    }

    /** The protocol the function's last summary names ({@code protocol=h2}), or {@code ?}. */
    static String protocol(LambdaProcess function) {
        return function.output().stream().filter(l -> l.contains("protocol=")).reduce((a, b) -> b)
                .map(l -> l.replaceAll(".*protocol=([^ \"]+).*", "$1")).orElse("?");
    }

    /** How many records an answer reports in {@code batchItemFailures}. */
    static int failedRecords(String answer) throws java.io.IOException {
        return JSON.readTree(answer).path("batchItemFailures").size();
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /** User plus system CPU of a process, from /proc (clock ticks of 10 ms). */
    public static long cpuMillis(long pid) throws java.io.IOException {
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

    interface Timed {
        long nanos() throws Exception;
    }

    private void log(String format, Object... args) {
        out.printf("bench: " + format + "%n", args);
    }

    /** For reading a results file back. */
    static SizeResults read(Path file) throws java.io.IOException {
        JsonNode tree = JSON.readTree(file.toFile());
        return JSON.treeToValue(tree, SizeResults.class);
    }
}
