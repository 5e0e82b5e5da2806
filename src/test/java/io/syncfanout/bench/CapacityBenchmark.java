package io.syncfanout.bench;

import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

import io.syncfanout.local.LambdaProcess;
import io.syncfanout.local.LambdaRuntimeApi;
import io.syncfanout.local.LambdaSize;
import io.syncfanout.testing.PubNubStandIn;
import io.syncfanout.testing.PubNubStandIn.Transport;

/**
 * One instance's capacity, the capacity simulator's input: each build at each memory size, held to its
 * CPU share, publishing over TLS (HTTP/1.1, the function's default) to a stand-in that adds latency.
 * Measures a cold start and, warm, invocations of W1's shape (10 records a user) and W2's (one a user)
 * at several batch sizes: own time, CPU, publishes. Writes {@code docs/benchmarks/capacity.json}.
 *
 * <pre>./bench --capacity [--memory 128,256,512,1024,1769] [--builds native,jvm] [--quick]</pre>
 */
public final class CapacityBenchmark {

    static final Path OUTPUT = Benchmarks.RESULTS.resolve("capacity.json");
    /** Up to 5,000 records (4.6 MB): Lambda delivers at most 6 MB an invocation. */
    static final List<Integer> BATCHES = List.of(10, 100, 1_000, 5_000);
    /** Lambda's longest timeout: the batch sizes, not the deadline, bound each invocation here. */
    private static final Duration TIMEOUT = Duration.ofSeconds(900);
    private static final int LATENCY_MS = 20;
    /**
     * How long a fresh process may take to its first answer before the size counts as not running: Lambda gives
     * an init phase 10 s (https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html), so two
     * minutes is far past anything deployable.
     */
    private static final Duration COLD_LIMIT = Duration.ofMinutes(2);

    /** One warm invocation's figures, the median of its repeats by own time. */
    record Run(String shape, int records, int publishes, double ownSeconds, long cpuMillis, int failed) {
    }

    /**
     * One build at one memory size. {@code coldSeconds}: a fresh process's first answer (10 records),
     * from process start; {@code crashedAtRecords}: the smallest batch the function exited on instead of
     * answering (0 if none), with {@code error} its last words; the runs are those it answered.
     */
    record Instance(String build, int memoryMb, double vcpus, double coldSeconds, List<Run> runs, int crashedAtRecords, String error,
            int repeats, String date) {
    }

    private final PrintStream out;
    private final List<Integer> sizes;
    private final List<String> builds;
    private final boolean quick;

    CapacityBenchmark(PrintStream out, List<Integer> sizes, List<String> builds, boolean quick) {
        this.out = out;
        this.sizes = sizes;
        this.builds = builds;
        this.quick = quick;
    }

    public static void main(String[] args) throws Exception {
        SizesAndBuilds o = SizesAndBuilds.parse(args, "--capacity", List.of(128, 256, 512, 1024, 1769),
                "./bench --capacity [--memory 128,256,512,1024,1769] [--builds native,jvm] [--quick]");
        new CapacityBenchmark(System.out, o.sizes(), o.builds(), o.quick()).run();
        System.exit(0);
    }

    void run() throws Exception {
        List<Instance> instances = new ArrayList<>();
        for (String build : builds) {
            Path zip = Benchmarks.BUILDS.resolve(build).resolve("function.zip");
            if (!Files.exists(zip)) {
                log("%s: no %s (./bench builds it), skipped", build, zip);
                continue;
            }
            for (int memoryMb : sizes) {
                instances.add(measure(build, zip, memoryMb));
            }
        }
        Files.createDirectories(Benchmarks.RESULTS);
        Benchmarks.JSON.writerWithDefaultPrettyPrinter().writeValue(OUTPUT.toFile(),
                Map.of("latencyMs", LATENCY_MS, "transport", Transport.HTTPS_HTTP1.key, "instances", withEarlier(instances)));
        log("wrote %s; ./capacity reads it", OUTPUT);
    }

    /** The instances measured now, and those an earlier run measured that this one did not. */
    private static List<Object> withEarlier(List<Instance> measured) throws java.io.IOException {
        List<Object> all = new ArrayList<>(measured);
        if (Files.exists(OUTPUT)) {
            for (com.fasterxml.jackson.databind.JsonNode earlier : Benchmarks.JSON.readTree(OUTPUT.toFile()).path("instances")) {
                boolean remeasured = measured.stream().anyMatch(
                        m -> m.build().equals(earlier.path("build").asText()) && m.memoryMb() == earlier.path("memoryMb").asInt());
                if (!remeasured) {
                    all.add(earlier);
                }
            }
        }
        return all;
    }

    private Instance measure(String build, Path zip, int memoryMb) throws Exception {
        WireMockServer standIn = PubNubStandIn.newServer(0, Transport.HTTPS_HTTP1);
        standIn.start();
        standIn.setGlobalFixedDelay(LATENCY_MS);
        Path work = Benchmarks.BUILDS.resolve("runs").resolve("capacity-" + build + "-" + memoryMb);
        Files.createDirectories(work);
        Map<String, String> env = new HashMap<>(PubNubStandIn.functionEnvironment(standIn));
        try (LambdaRuntimeApi runtimeApi = LambdaRuntimeApi.start(TIMEOUT); LambdaSize size = LambdaSize.of(memoryMb)) {
            String small = Workloads.event(Workloads.burst(new Random(3), 1));
            double[] cold = new double[repeats()];
            for (int i = 0; i < cold.length; i++) {
                try (LambdaProcess function = LambdaProcess.start(zip, work, runtimeApi.address(), LambdaProcess.HANDLER, env, size)) {
                    runtimeApi.invoke(small, function, COLD_LIMIT);
                    cold[i] = (System.nanoTime() - function.startedNanos()) / 1e9;
                }
            }
            double coldSeconds = Benchmarks.median(cold);
            log("%s, %d MB: cold start and first answer %.2f s", build, memoryMb, coldSeconds);

            List<Run> runs = new ArrayList<>();
            int crashedAt = 0;
            String error = null;
            LambdaProcess function = warmProcess(zip, work, runtimeApi, env, size);
            try {
                for (String shape : List.of("w1", "w2")) {
                    for (int batch : BATCHES) {
                        if (crashedAt > 0 && batch >= crashedAt) {
                            continue;
                        }
                        List<String> bodies = shape.equals("w1") ? Workloads.burst(new Random(batch), batch / 10) : Workloads.spread(batch);
                        try {
                            runs.add(run(runtimeApi, function, standIn, shape, bodies));
                        } catch (IllegalStateException exited) {
                            crashedAt = batch;
                            error = exited.getMessage().lines().filter(l -> !l.isBlank()).reduce((a, b) -> b).orElse("?");
                            log("%s, %d MB: exited on %s × %d records: %s", build, memoryMb, shape, batch, error);
                            function.close();
                            function = warmProcess(zip, work, runtimeApi, env, size);
                        }
                    }
                }
            } finally {
                function.close();
            }
            return new Instance(build, memoryMb, size.vcpus(), coldSeconds, runs, crashedAt, error, repeats(), LocalDate.now().toString());
        } catch (IllegalStateException | java.io.IOException e) {
            String why = e.getMessage().lines().findFirst().orElse("?");
            log("%s, %d MB: not measured: %s", build, memoryMb, why);
            return new Instance(build, memoryMb, (double) memoryMb / LambdaSize.ONE_VCPU_MB, 0, List.of(), 0, why, repeats(),
                    LocalDate.now().toString());
        } finally {
            standIn.stop();
        }
    }

    /** A process past its first invocations: the JVM's JIT and the connection pool warm. */
    private static LambdaProcess warmProcess(Path zip, Path work, LambdaRuntimeApi runtimeApi, Map<String, String> env, LambdaSize size)
            throws Exception {
        LambdaProcess function = LambdaProcess.start(zip, work, runtimeApi.address(), LambdaProcess.HANDLER, env, size);
        String w1 = Workloads.event(Workloads.burst(new Random(5), 100));
        for (int i = 0; i < 5; i++) {
            runtimeApi.invoke(w1, function);
        }
        return function;
    }

    private Run run(LambdaRuntimeApi runtimeApi, LambdaProcess function, WireMockServer standIn, String shape, List<String> bodies)
            throws Exception {
        String event = Workloads.event(bodies);
        List<Run> repeats = new ArrayList<>();
        for (int i = 0; i < repeats(); i++) {
            standIn.resetRequests();
            int before = Benchmarks.summaries(function.output()).size();
            long cpu0 = Benchmarks.cpuMillis(function.pid());
            HttpResponse<String> answer = runtimeApi.invoke(event, function);
            long cpu = Benchmarks.cpuMillis(function.pid()) - cpu0;
            long own = Benchmarks.ownMillisAfter(function, before);
            int publishes = (int) standIn.getAllServeEvents().stream().map(ServeEvent::getResponse).filter(r -> r.getStatus() == 200).count();
            int failed = Benchmarks.failedRecords(answer.body());
            repeats.add(new Run(shape, bodies.size(), publishes, own / 1e3, cpu, failed));
        }
        repeats.sort(Comparator.comparingDouble(Run::ownSeconds));
        Run median = repeats.get(repeats.size() / 2);
        log("%s, %d records: %.3f s own, %d ms CPU, %d publishes, %d failed", shape, median.records, median.ownSeconds, median.cpuMillis,
                median.publishes, median.failed);
        return median;
    }

    private int repeats() {
        return quick ? 1 : 3;
    }

    private void log(String format, Object... args) {
        out.printf("bench --capacity: " + format + "%n", args);
    }
}
