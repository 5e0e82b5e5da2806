package io.syncfanout.bench;

import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
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
 * W1 over each transport PubNub may be reached by: TLS offering HTTP/2 by ALPN (as PubNub serves), TLS
 * with HTTP/1.1 only, and plain HTTP as the comparison line; each build held to each memory size's CPU
 * share, cold (a fresh process, Lambda's 30 s deadline) and warm. Adds what a user pays: PubNub's billed
 * transactions (one per started 2,048 bytes of each publish) beside one publish per record, and Lambda's
 * GB-seconds. Writes {@code docs/benchmarks/tls.json} and {@code docs/benchmarks-tls.md}.
 *
 * <pre>./bench --tls [--memory 512,1024] [--builds jvm,native] [--quick]</pre>
 */
public final class TlsBenchmark {

    /** AWS Lambda's list prices (us-east-1): per GB-second on x86_64 and arm64, per request. */
    static final double LAMBDA_GB_SECOND_X86 = 0.0000166667;
    static final double LAMBDA_GB_SECOND_ARM = 0.0000133334;
    static final double LAMBDA_REQUEST = 0.20 / 1_000_000;
    /** PubNub bills a transaction per started 2 KiB of a publish. */
    static final int PUBNUB_TRANSACTION_BYTES = 2_048;

    private final PrintStream out;
    private final List<Integer> sizes;
    private final List<String> builds;
    private final boolean quick;
    private final int latencyMs = 20;

    TlsBenchmark(PrintStream out, List<Integer> sizes, List<String> builds, boolean quick) {
        this.out = out;
        this.sizes = sizes;
        this.builds = builds;
        this.quick = quick;
    }

    public static void main(String[] args) throws Exception {
        SizesAndBuilds o = SizesAndBuilds.parse(args, "--tls", List.of(512, 1024), "./bench --tls [--memory 512,1024] [--builds jvm,native] [--quick]");
        new TlsBenchmark(System.out, o.sizes(), o.builds(), o.quick()).run();
        System.exit(0);
    }

    /** One build at one size over one transport. */
    record Row(String build, int memoryMb, String transport, double coldSeconds, int coldFailed, double warmSeconds, int warmFailed,
            long cpuMillisPer10k, int publishes, long transactions, long transactionsOnePerRecord, int records, String protocol) {
    }

    void run() throws Exception {
        Benchmarks.Workload w1 = Benchmarks.Workload.of(Workloads.burst(new Random(5)));
        List<Row> rows = new ArrayList<>();
        for (int memoryMb : sizes) {
            for (String build : builds) {
                Path zip = Benchmarks.BUILDS.resolve(build).resolve("function.zip");
                if (!Files.exists(zip)) {
                    log("%s: no %s (./bench builds it), skipped", build, zip);
                    continue;
                }
                for (Transport transport : Transport.values()) {
                    rows.add(measure(build, zip, memoryMb, transport, w1));
                }
            }
        }
        Files.createDirectories(Benchmarks.RESULTS);
        Benchmarks.JSON.writerWithDefaultPrettyPrinter().writeValue(Benchmarks.RESULTS.resolve("tls.json").toFile(),
                Map.of("date", LocalDate.now().toString(), "latencyMs", latencyMs, "rows", rows));
        // The HTTP/2 servers' section (./bench --h2-servers) and the reading written after it stay.
        Path doc = Path.of("docs/benchmarks-tls.md");
        String old = Files.exists(doc) ? Files.readString(doc) : "";
        int begin = old.indexOf(Http2ServersBenchmark.BEGIN);
        Files.writeString(doc, begin < 0 ? report(rows, quick) : report(rows, quick) + "\n" + old.substring(begin));
        log("wrote docs/benchmarks/tls.json and docs/benchmarks-tls.md");
    }

    private Row measure(String build, Path zip, int memoryMb, Transport transport, Benchmarks.Workload w1) throws Exception {
        WireMockServer standIn = PubNubStandIn.newServer(0, transport);
        standIn.start();
        standIn.setGlobalFixedDelay(latencyMs);
        Path work = Benchmarks.BUILDS.resolve("runs").resolve("tls-" + build + "-" + memoryMb + "-" + transport.key);
        Files.createDirectories(work);
        try (LambdaRuntimeApi runtimeApi = LambdaRuntimeApi.start(Duration.ofSeconds(30)); LambdaSize size = LambdaSize.of(memoryMb)) {
            Map<String, String> env = new HashMap<>(PubNubStandIn.functionEnvironment(standIn));
            // HTTP/2 where the origin offers it, HTTP/1.1 otherwise (the function's default).
            env.put("PUBNUB_HTTP2", Boolean.toString(transport == Transport.HTTPS_H2));
            List<double[]> cold = new ArrayList<>();
            for (int i = 0; i < (quick ? 1 : 3); i++) {
                try (LambdaProcess function = LambdaProcess.start(zip, work, runtimeApi.address(), LambdaProcess.HANDLER, env, size)) {
                    long start = function.startedNanos();
                    HttpResponse<String> answer = runtimeApi.invoke(w1.event(), function);
                    cold.add(new double[] { (System.nanoTime() - start) / 1e9, Benchmarks.failedRecords(answer.body()) });
                }
            }
            cold.sort((a, b) -> Double.compare(a[0], b[0]));
            double[] coldMedian = cold.get(cold.size() / 2);

            List<Benchmarks.Warm> warm = new ArrayList<>();
            long transactions = 0;
            int publishes = 0;
            String protocol;
            try (LambdaProcess function = LambdaProcess.start(zip, work, runtimeApi.address(), LambdaProcess.HANDLER, env, size)) {
                Benchmarks.warmRuns(runtimeApi, function, w1.event(), 2);
                for (int i = 0; i < (quick ? 2 : 5); i++) {
                    standIn.resetRequests();
                    warm.addAll(Benchmarks.warmRuns(runtimeApi, function, w1.event(), 1));
                    transactions = 0;
                    publishes = 0;
                    for (ServeEvent served : standIn.getAllServeEvents()) {
                        if (served.getResponse().getStatus() == 200) {
                            publishes++;
                            transactions += startedBlocks(served.getRequest().getBody().length);
                        }
                    }
                }
                protocol = Benchmarks.protocol(function);
            }
            warm.sort((a, b) -> Double.compare(a.ownSeconds(), b.ownSeconds()));
            Benchmarks.Warm warmMedian = warm.get(warm.size() / 2);
            long onePerRecord = w1.bodies().stream().mapToLong(b -> startedBlocks(b.getBytes(java.nio.charset.StandardCharsets.UTF_8).length)).sum();
            Row row = new Row(build, memoryMb, transport.key, coldMedian[0], (int) coldMedian[1], warmMedian.ownSeconds(), warmMedian.failed(),
                    Math.round(warmMedian.cpuMillis() * 10_000.0 / w1.records()), publishes, transactions, onePerRecord, w1.records(), protocol);
            log("%s, %d MB, %s: cold W1 %.2f s (%d failed), warm %.2f s (%d failed), %d ms CPU per 10,000 records, %s, %d publishes, "
                    + "%d PubNub transactions (%d one publish per record)", build, memoryMb, transport.key, row.coldSeconds, row.coldFailed,
                    row.warmSeconds, row.warmFailed, row.cpuMillisPer10k, row.protocol, row.publishes, row.transactions,
                    row.transactionsOnePerRecord);
            return row;
        } finally {
            standIn.stop();
        }
    }

    private static long startedBlocks(int bytes) {
        return (bytes + PUBNUB_TRANSACTION_BYTES - 1) / PUBNUB_TRANSACTION_BYTES;
    }

    static String report(List<Row> rows, boolean quick) {
        String cold = quick ? "one run" : "median of 3";
        String warm = quick ? "median of 2" : "median of 5";
        StringBuilder md = new StringBuilder();
        md.append("# Over TLS: W1 by transport, build and memory size\n\n")
                .append("Written by `./bench --tls` on ").append(LocalDate.now()).append(". W1 is 10,000 records for 1,000 users; the stand-in ")
                .append("adds 20 ms to every answer and serves TLS with a private CA the function trusts through the REST client's ")
                .append("trust-store settings: `https-h2` offers HTTP/2 by ALPN (as PubNub does), `https-http1` HTTP/1.1 only, `http` ")
                .append("is plain HTTP (the comparison line). Each build runs as Lambda runs it, held to the memory size's CPU share. ")
                .append("Cold: a fresh process's first invocation, from process start to answer, within Lambda's 30 s deadline ")
                .append("(").append(cold).append("). Warm: the function's own time (").append(warm)
                .append("). CPU: the function process's, per 10,000 records, warm. Here the function offered HTTP/2 (`PUBNUB_HTTP2=true`) ")
                .append("on `https-h2`, and kept to HTTP/1.1 on the others.\n\n")
                .append("| build | memory | transport | protocol | cold W1 (failed) | warm W1 (failed) | warm / plain HTTP | CPU per 10k records |\n")
                .append("|---|---|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            Row plain = rows.stream().filter(p -> p.build.equals(r.build) && p.memoryMb == r.memoryMb && p.transport.equals("http"))
                    .findFirst().orElse(r);
            md.append(String.format(Locale.ROOT, "| %s | %d MB | %s | %s | %.2f s (%d) | %.2f s (%d) | %.2f× | %d ms |%n", r.build, r.memoryMb,
                    r.transport, r.protocol, r.coldSeconds, r.coldFailed, r.warmSeconds, r.warmFailed, r.warmSeconds / plain.warmSeconds,
                    r.cpuMillisPer10k));
        }
        md.append("\n## What a user pays, per million updates\n\n")
                .append("PubNub bills a replicated transaction per started 2,048 bytes of each publish; Lambda bills GB-seconds (the ")
                .append("warm W1's own time × memory) and requests (one invocation per 10,000 updates). Lambda list prices: $")
                .append(LAMBDA_GB_SECOND_X86).append(" per GB-s on x86_64, $").append(LAMBDA_GB_SECOND_ARM)
                .append(" on arm64, $0.20 per million requests. PubNub's price per transaction is your contract's: the table ")
                .append("gives transactions, multiply by your rate.\n\n")
                .append("| build | memory | transport | PubNub transactions | one publish per record | Lambda $ x86_64 | Lambda $ arm64 |\n")
                .append("|---|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            double perMillion = 1_000_000.0 / r.records;
            double gbSeconds = r.warmSeconds * r.memoryMb / 1024.0 * perMillion;
            double requests = perMillion * LAMBDA_REQUEST;
            md.append(String.format(Locale.ROOT, "| %s | %d MB | %s | %,d | %,d | %.4f | %.4f |%n", r.build, r.memoryMb, r.transport,
                    Math.round(r.transactions * perMillion), Math.round(r.transactionsOnePerRecord * perMillion),
                    gbSeconds * LAMBDA_GB_SECOND_X86 + requests, gbSeconds * LAMBDA_GB_SECOND_ARM + requests));
        }
        return md.toString();
    }

    private void log(String format, Object... args) {
        out.printf("bench --tls: " + format + "%n", args);
    }
}
