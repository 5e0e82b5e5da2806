package io.syncfanout.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.syncfanout.local.LambdaProcess;
import io.syncfanout.local.LambdaRuntimeApi;
import io.syncfanout.local.LambdaSize;
import io.syncfanout.testing.PubNubStandIn;

/**
 * Does the native build stay inside a small memory size? The largest W1-shaped event Lambda can deliver
 * (just under its 6 MB invocation payload), five times into one process over TLS, held to 128 and 256 MB:
 * whether the kernel killed it, and its peak anonymous RSS, sampled every 20 ms. The zip's {@code bootstrap}
 * bounds the heap from {@code AWS_LAMBDA_FUNCTION_MEMORY_SIZE}; beside it runs the same executable started
 * directly, as it was before, with no bound. Writes {@code docs/benchmarks/memory-headroom.json} and
 * {@code docs/memory-headroom.md}.
 *
 * <pre>./bench --memory-headroom [--memory 128,256] [--builds native]</pre>
 */
public final class MemoryHeadroomBenchmark {

    /** Lambda's invocation payload limit: https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html */
    static final int PAYLOAD_BYTES = 6 * 1024 * 1024;
    static final int INVOCATIONS = 5;

    private final PrintStream out;
    private final List<Integer> sizes;

    MemoryHeadroomBenchmark(PrintStream out, List<Integer> sizes) {
        this.out = out;
        this.sizes = sizes;
    }

    public static void main(String[] args) throws Exception {
        List<Integer> sizes = List.of(128, 256);
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--memory-headroom" -> { }
                case "--memory" -> sizes = Arrays.stream(args[++i].split(",")).map(Integer::parseInt).toList();
                case "--builds" -> i++; // the native build only: the JVM's heap is the managed runtime's to bound
                default -> throw new IllegalArgumentException("usage: ./bench --memory-headroom [--memory 128,256]");
            }
        }
        new MemoryHeadroomBenchmark(System.out, sizes).run();
        System.exit(0);
    }

    /** One way of starting at one size: each invocation's failed records, whether it was killed, and the peaks. */
    record Row(String start, int memoryMb, int records, int eventBytes, List<Integer> failed, int answered, boolean killed,
            long peakAnonKb, long peakRssKb, long cgroupPeakKb) {
    }

    void run() throws Exception {
        Path bounded = Benchmarks.BUILDS.resolve("native").resolve("function.zip");
        if (!Files.exists(bounded)) {
            throw new IllegalStateException("no " + bounded + ": ./bench builds it");
        }
        Path unbounded = Benchmarks.BUILDS.resolve("native-unbounded").resolve("function.zip");
        withoutBootstrapScript(bounded, unbounded);
        Benchmarks.Workload largest = largestEvent();
        log("the largest W1-shaped event under %,d bytes: %,d records, %,d bytes", PAYLOAD_BYTES, largest.records(),
                largest.event().getBytes(StandardCharsets.UTF_8).length);
        List<Row> rows = new ArrayList<>();
        for (int memoryMb : sizes) {
            rows.add(measure("bootstrap (heap bounded)", bounded, memoryMb, largest));
            rows.add(measure("runner alone (unbounded, as before)", unbounded, memoryMb, largest));
        }
        Files.createDirectories(Benchmarks.RESULTS);
        Benchmarks.JSON.writerWithDefaultPrettyPrinter().writeValue(Benchmarks.RESULTS.resolve("memory-headroom.json").toFile(),
                Map.of("date", LocalDate.now().toString(), "rows", rows));
        Files.writeString(Path.of("docs/memory-headroom.md"), report(rows));
        log("wrote docs/benchmarks/memory-headroom.json and docs/memory-headroom.md");
    }

    private Row measure(String start, Path zip, int memoryMb, Benchmarks.Workload event) throws Exception {
        WireMockServer standIn = PubNubStandIn.newServer(0, PubNubStandIn.Transport.HTTPS_H2);
        standIn.start();
        standIn.setGlobalFixedDelay(20);
        Path work = Benchmarks.BUILDS.resolve("runs").resolve("headroom-" + memoryMb + "-" + (zip.getParent().getFileName()));
        Files.createDirectories(work);
        List<Integer> failed = new ArrayList<>();
        AtomicLong peakAnon = new AtomicLong();
        AtomicLong peakRss = new AtomicLong();
        boolean killed;
        long cgroupPeak;
        try (LambdaRuntimeApi runtimeApi = LambdaRuntimeApi.start(Duration.ofSeconds(60)); LambdaSize size = LambdaSize.of(memoryMb)) {
            Map<String, String> env = new HashMap<>(PubNubStandIn.functionEnvironment(standIn));
            try (LambdaProcess function = LambdaProcess.start(zip, work, runtimeApi.address(), LambdaProcess.HANDLER, env, size)) {
                Thread sampler = new Thread(() -> sample(function.pid(), peakAnon, peakRss));
                sampler.setDaemon(true);
                sampler.start();
                for (int i = 0; i < INVOCATIONS && function.isAlive(); i++) {
                    try {
                        HttpResponse<String> answer = runtimeApi.invoke(event.event(), function, Duration.ofSeconds(90));
                        failed.add(Benchmarks.failedRecords(answer.body()));
                    } catch (IOException | RuntimeException gone) {
                        log("%d MB, %s: invocation %d got no answer: %s", memoryMb, start, i + 1, gone.getMessage());
                        break;
                    }
                }
                Thread.sleep(200);
                killed = !function.isAlive() || size.oomKills() > 0;
                sampler.interrupt();
            }
            cgroupPeak = size.peakMemoryBytes() / 1024;
        } finally {
            standIn.stop();
        }
        Row row = new Row(start, memoryMb, event.records(), event.event().getBytes(StandardCharsets.UTF_8).length, failed, failed.size(),
                killed, peakAnon.get(), peakRss.get(), cgroupPeak);
        log("%d MB, %s: %d of %d answered (failed records %s), %s; peak anonymous RSS %,d kB, peak RSS %,d kB, cgroup peak %,d kB",
                memoryMb, start, row.answered, INVOCATIONS, failed, killed ? "KILLED" : "not killed", row.peakAnonKb, row.peakRssKb,
                row.cgroupPeakKb);
        return row;
    }

    /** The most users of W1's shape (10 updates each) whose event stays under Lambda's payload limit. */
    static Benchmarks.Workload largestEvent() {
        int low = 1;
        int high = 1_000;
        while (low < high) {
            int mid = (low + high + 1) / 2;
            if (Workloads.event(Workloads.burst(new Random(7), mid)).getBytes(StandardCharsets.UTF_8).length <= PAYLOAD_BYTES) {
                low = mid;
            } else {
                high = mid - 1;
            }
        }
        return Benchmarks.Workload.of(Workloads.burst(new Random(7), low));
    }

    /** RssAnon and VmHWM from /proc, every 20 ms, until interrupted or the process is gone. */
    private static void sample(long pid, AtomicLong peakAnon, AtomicLong peakRss) {
        Path status = Path.of("/proc/" + pid + "/status");
        while (!Thread.currentThread().isInterrupted()) {
            try {
                for (String line : Files.readAllLines(status)) {
                    if (line.startsWith("RssAnon:")) {
                        peakAnon.accumulateAndGet(kb(line), Math::max);
                    } else if (line.startsWith("VmHWM:")) {
                        peakRss.accumulateAndGet(kb(line), Math::max);
                    }
                }
                Thread.sleep(20);
            } catch (IOException gone) {
                return;
            } catch (InterruptedException stop) {
                return;
            }
        }
    }

    private static long kb(String line) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
    }

    /** The same zip as it was before the bootstrap script: the executable itself as bootstrap. */
    static void withoutBootstrapScript(Path zip, Path out) throws IOException {
        Files.createDirectories(out.getParent());
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip));
                ZipOutputStream copy = new ZipOutputStream(Files.newOutputStream(out))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                if (entry.getName().equals("bootstrap")) {
                    continue;
                }
                copy.putNextEntry(new ZipEntry(entry.getName().equals("runner") ? "bootstrap" : entry.getName()));
                in.transferTo(copy);
                copy.closeEntry();
            }
        }
    }

    static String report(List<Row> rows) {
        StringBuilder md = new StringBuilder("# The native build's memory at small sizes\n\n")
                .append("Written by `./bench --memory-headroom` on ").append(LocalDate.now()).append(". The largest W1-shaped event Lambda can ")
                .append("deliver (").append(String.format(Locale.ROOT, "%,d", rows.get(0).records)).append(" records, ")
                .append(String.format(Locale.ROOT, "%,d", rows.get(0).eventBytes)).append(" bytes, under the 6 MB invocation payload), ")
                .append(INVOCATIONS).append(" times into one process over TLS (the stand-in 20 ms away), held to the memory size and its CPU ")
                .append("share with cgroups as Lambda holds a function. `bootstrap` is what the zip ships: it bounds the heap from ")
                .append("`AWS_LAMBDA_FUNCTION_MEMORY_SIZE` (three quarters of it, less 32 MB). Beside it, the same executable started ")
                .append("directly, as it was before, sizes its heap from the machine. Peak anonymous RSS is sampled from `/proc` every ")
                .append("20 ms; the cgroup's peak counts page cache too (the executable's own pages), which the kernel can drop.\n\n")
                .append("| memory | started as | answered | failed records each | killed for memory | peak anonymous RSS | peak RSS | cgroup peak |\n")
                .append("|---|---|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            md.append(String.format(Locale.ROOT, "| %d MB | %s | %d of %d | %s | %s | %,.1f MB | %,.1f MB | %,.1f MB |%n", r.memoryMb, r.start,
                    r.answered, INVOCATIONS, r.failed, r.killed ? "**yes**" : "no", r.peakAnonKb / 1024.0, r.peakRssKb / 1024.0,
                    r.cgroupPeakKb / 1024.0));
        }
        return md.toString();
    }

    private void log(String format, Object... args) {
        out.printf("bench --memory-headroom: " + format + "%n", args);
    }
}
