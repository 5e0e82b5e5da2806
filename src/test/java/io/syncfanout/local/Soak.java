package io.syncfanout.local;

import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;

import io.syncfanout.testing.DeliveryAudit;
import io.syncfanout.testing.FaultInjector;
import io.syncfanout.testing.PubNubStandIn;

/**
 * One warm function, many invocations, faults on: checks that nothing is lost in any of them and
 * that heap, RSS and threads do not grow.
 *
 * <pre>./soak [invocations=500] [records=1000]</pre>
 */
public final class Soak {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long SEED = 20261127L;

    /** One reading of the function process. */
    record Sample(int invocation, long rssKb, int threads, long heapAfterGcKb, long millis) {
    }

    public static void main(String[] args) throws Exception {
        int invocations = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        int records = args.length > 1 ? Integer.parseInt(args[1]) : 1_000;
        System.exit(new Soak().run(System.out, invocations, records) ? 0 : 1);
    }

    boolean run(PrintStream out, int invocations, int records) throws Exception {
        Path work = Path.of("target/soak");
        Files.createDirectories(work);
        FaultInjector faults = new FaultInjector(SEED, 2_500);
        WireMockServer standIn = PubNubStandIn.newServer(0, faults);
        standIn.start();
        LambdaRuntimeApi runtimeApi = LambdaRuntimeApi.start(LocalRun.DEFAULT_TIMEOUT);
        Map<String, String> env = new java.util.HashMap<>(PubNubStandIn.functionEnvironment(standIn));
        // The soak reads the summary, not a WARN line per failed record.
        env.put("QUARKUS_LOG_CATEGORY__IO_SYNCFANOUT_LAMBDA__LEVEL", "ERROR");
        out.printf("soak: %d invocations of %d records, faults on (seed %d), one warm function (%s)%n",
                invocations, records, SEED, LambdaProcess.HANDLER);
        List<Sample> samples = new ArrayList<>();
        int lost = 0;
        int reported = 0;
        int duplicates = 0;
        Random random = new Random(SEED);
        try (LambdaProcess function = LambdaProcess.start(Path.of("target/function.zip"), work, runtimeApi.address(), LambdaProcess.HANDLER, env)) {
            for (int i = 1; i <= invocations; i++) {
                DeliveryAudit batch = DeliveryAudit.randomBatch(random, records, records / 5, 1_764_237_600_000L + i * 100_000L);
                standIn.resetRequests();
                long start = System.nanoTime();
                HttpResponse<String> answer = runtimeApi.invoke(batch.event().json());
                long millis = (System.nanoTime() - start) / 1_000_000;
                if (answer.statusCode() != 200) {
                    out.println("invocation " + i + " failed as a whole: HTTP " + answer.statusCode() + " " + answer.body());
                    return false;
                }
                List<String> failed = new ArrayList<>();
                JSON.readTree(answer.body()).path("batchItemFailures").forEach(f -> failed.add(f.path("itemIdentifier").asText()));
                DeliveryAudit.Result result = batch.audit(failed, standIn, java.time.Duration.ofMillis(2_000)); // the function's default attempt timeout
                lost += result.lost();
                reported += result.reported();
                duplicates += result.duplicates();
                if (i == 1 || i % 25 == 0 || i == invocations) {
                    Sample sample = sample(function.pid(), i, millis, i % 50 == 0 || i == invocations || i == 1);
                    samples.add(sample);
                    out.printf("  %5d  rss %7d KB  threads %3d  heap after GC %7s KB  last answer %5d ms  lost %d%n", i,
                            sample.rssKb(), sample.threads(), sample.heapAfterGcKb() < 0 ? "-" : sample.heapAfterGcKb(), millis, lost);
                }
            }
        } finally {
            runtimeApi.close();
            standIn.stop();
        }
        writeCsv(work.resolve("soak.csv"), samples);
        List<String> growth = growth(samples);
        out.printf("soak: %d invocations, %d records, %d faults injected over %d publish requests; %d reported failed, "
                + "%d lost, %d duplicates%n", invocations, invocations * records, faults.injected().values().stream()
                .mapToInt(Integer::intValue).sum(), faults.requests(), reported, lost, duplicates);
        growth.forEach(g -> out.println("soak: GROWTH " + g));
        boolean passed = lost == 0 && growth.isEmpty();
        out.println("soak: " + (passed ? "PASSED" : "FAILED") + " (samples in " + work.resolve("soak.csv") + ")");
        return passed;
    }

    /** RSS and threads from /proc; heap after a full GC from jcmd, when asked (it costs a pause). */
    private static Sample sample(long pid, int invocation, long millis, boolean gc) throws Exception {
        long rss = 0;
        int threads = 0;
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                rss = Long.parseLong(line.replaceAll("\\D", ""));
            } else if (line.startsWith("Threads:")) {
                threads = Integer.parseInt(line.replaceAll("\\D", ""));
            }
        }
        long heap = -1;
        if (gc) {
            jcmd(pid, "GC.run");
            String info = jcmd(pid, "GC.heap_info");
            java.util.regex.Matcher used = java.util.regex.Pattern.compile("total (\\d+)K, used (\\d+)K").matcher(info);
            heap = 0;
            while (used.find()) {
                heap += Long.parseLong(used.group(2));
            }
        }
        return new Sample(invocation, rss, threads, heap, millis);
    }

    private static String jcmd(long pid, String command) throws Exception {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(30, TimeUnit.SECONDS);
        return output;
    }

    /**
     * Growth between the first quarter after warm-up and the last quarter: a leak keeps climbing,
     * a warm JVM levels off.
     */
    static List<String> growth(List<Sample> samples) {
        List<String> problems = new ArrayList<>();
        if (samples.size() < 8) {
            return problems;
        }
        List<Sample> warm = samples.subList(samples.size() / 4, samples.size());
        List<Sample> early = warm.subList(0, Math.max(1, warm.size() / 3));
        List<Sample> late = warm.subList(warm.size() - Math.max(1, warm.size() / 3), warm.size());
        double rssEarly = early.stream().mapToLong(Sample::rssKb).average().orElse(0);
        double rssLate = late.stream().mapToLong(Sample::rssKb).average().orElse(0);
        if (rssLate > rssEarly * 1.25 && rssLate - rssEarly > 32_768) {
            problems.add(String.format("RSS grew from %.0f KB to %.0f KB", rssEarly, rssLate));
        }
        int threadsEarly = early.stream().mapToInt(Sample::threads).max().orElse(0);
        int threadsLate = late.stream().mapToInt(Sample::threads).max().orElse(0);
        if (threadsLate > threadsEarly + 10) {
            problems.add("threads grew from " + threadsEarly + " to " + threadsLate);
        }
        double heapEarly = early.stream().filter(s -> s.heapAfterGcKb() >= 0).mapToLong(Sample::heapAfterGcKb).average().orElse(-1);
        double heapLate = late.stream().filter(s -> s.heapAfterGcKb() >= 0).mapToLong(Sample::heapAfterGcKb).average().orElse(-1);
        if (heapEarly > 0 && heapLate > heapEarly * 1.5 && heapLate - heapEarly > 16_384) {
            problems.add(String.format("heap after GC grew from %.0f KB to %.0f KB", heapEarly, heapLate));
        }
        return problems;
    }

    private static void writeCsv(Path file, List<Sample> samples) throws Exception {
        StringBuilder csv = new StringBuilder("invocation,rss_kb,threads,heap_after_gc_kb,answer_ms\n");
        samples.forEach(s -> csv.append(s.invocation()).append(',').append(s.rssKb()).append(',').append(s.threads()).append(',')
                .append(s.heapAfterGcKb()).append(',').append(s.millis()).append('\n'));
        Files.writeString(file, csv);
    }
}
