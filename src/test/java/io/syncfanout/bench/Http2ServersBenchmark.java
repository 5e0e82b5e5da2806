package io.syncfanout.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
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
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;

import io.syncfanout.local.LambdaProcess;
import io.syncfanout.local.LambdaRuntimeApi;
import io.syncfanout.local.LambdaSize;
import io.syncfanout.testing.PubNubStandIn;
import io.syncfanout.testing.TestCertificates;

/**
 * Does HTTP/2 save the function CPU or cost it? Measured against two server implementations, since the
 * first answer came from one: WireMock's (Jetty) and Node's own {@code http2} module
 * ({@code src/test/node/pubnub-standin.mjs}). Both offer h2 and HTTP/1.1 by ALPN over TLS, as PubNub does;
 * the function is run with {@code PUBNUB_HTTP2} on and off against each, W1 warm, held to each memory size's
 * CPU share. Rewrites the section between its markers in {@code docs/benchmarks-tls.md} and writes
 * {@code docs/benchmarks/h2-servers.json}.
 *
 * <pre>./bench --h2-servers [--memory 512,1024] [--builds native,jvm] [--quick]</pre>
 */
public final class Http2ServersBenchmark {

    static final String BEGIN = "<!-- h2-servers: written by ./bench --h2-servers -->";
    static final String END = "<!-- /h2-servers -->";
    private static final Path DOC = Path.of("docs/benchmarks-tls.md");
    private static final int LATENCY_MS = 20;

    private final PrintStream out;
    private final List<Integer> sizes;
    private final List<String> builds;
    private final boolean quick;

    Http2ServersBenchmark(PrintStream out, List<Integer> sizes, List<String> builds, boolean quick) {
        this.out = out;
        this.sizes = sizes;
        this.builds = builds;
        this.quick = quick;
    }

    public static void main(String[] args) throws Exception {
        SizesAndBuilds o = SizesAndBuilds.parse(args, "--h2-servers", List.of(512, 1024),
                "./bench --h2-servers [--memory 512,1024] [--builds native,jvm] [--quick]");
        new Http2ServersBenchmark(System.out, o.sizes(), o.builds(), o.quick()).run();
        System.exit(0);
    }

    /** One build at one size against one server, HTTP/2 offered by the function or not. */
    record Row(String build, int memoryMb, String server, boolean http2, String protocol, double warmSeconds, long cpuMillisPer10k,
            int failed, long connections) {
    }

    /** A stand-in the function publishes to: its origin, and how many TLS connections it accepted. */
    interface Server extends AutoCloseable {
        String origin();

        long connections();

        @Override
        void close();
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
                for (String server : List.of("wiremock", "node", "node-http1-only")) {
                    for (boolean http2 : List.of(false, true)) {
                        rows.add(measure(build, zip, memoryMb, server, http2, w1));
                    }
                }
            }
        }
        Files.createDirectories(Benchmarks.RESULTS);
        Benchmarks.JSON.writerWithDefaultPrettyPrinter().writeValue(Benchmarks.RESULTS.resolve("h2-servers.json").toFile(),
                Map.of("date", LocalDate.now().toString(), "latencyMs", LATENCY_MS, "rows", rows));
        String doc = Files.exists(DOC) ? Files.readString(DOC) : "";
        Files.writeString(DOC, withSection(doc, section(rows, quick)));
        log("wrote docs/benchmarks/h2-servers.json and its section of %s", DOC);
    }

    private Row measure(String build, Path zip, int memoryMb, String serverName, boolean http2, Benchmarks.Workload w1) throws Exception {
        Path work = Benchmarks.BUILDS.resolve("runs").resolve("h2-" + build + "-" + memoryMb + "-" + serverName + "-" + http2);
        Files.createDirectories(work);
        try (Server server = serverName.startsWith("node") ? NodeServer.start(LATENCY_MS, serverName.endsWith("http1-only"))
                : WireMock.start(LATENCY_MS);
                LambdaRuntimeApi runtimeApi = LambdaRuntimeApi.start(Duration.ofSeconds(30)); LambdaSize size = LambdaSize.of(memoryMb)) {
            Map<String, String> env = new HashMap<>(PubNubStandIn.Transport.HTTPS_H2.functionEnvironment());
            env.put("PUBNUB_ORIGIN", server.origin());
            env.put("PUBNUB_PUBLISH_KEY", "demo-pub");
            env.put("PUBNUB_SUBSCRIBE_KEY", "demo-sub");
            env.put("PUBNUB_HTTP2", Boolean.toString(http2));
            List<Benchmarks.Warm> warm;
            String protocol;
            try (LambdaProcess function = LambdaProcess.start(zip, work, runtimeApi.address(), LambdaProcess.HANDLER, env, size)) {
                Benchmarks.warmRuns(runtimeApi, function, w1.event(), 2);
                warm = new ArrayList<>(Benchmarks.warmRuns(runtimeApi, function, w1.event(), quick ? 2 : 5));
                protocol = Benchmarks.protocol(function);
            }
            warm.sort((a, b) -> Long.compare(a.cpuMillis(), b.cpuMillis()));
            Benchmarks.Warm median = warm.get(warm.size() / 2);
            Row row = new Row(build, memoryMb, serverName, http2, protocol, median.ownSeconds(), Math.round(median.cpuMillis() * 10_000.0 / w1.records()),
                    median.failed(), server.connections());
            log("%s, %d MB, %s, PUBNUB_HTTP2=%s: %s, warm W1 %.2f s, %d ms CPU per 10,000 records (%d failed), %d TLS connections in all",
                    build, memoryMb, serverName, http2, protocol, row.warmSeconds, row.cpuMillisPer10k, row.failed, row.connections);
            return row;
        }
    }

    static String section(List<Row> rows, boolean quick) {
        StringBuilder md = new StringBuilder(BEGIN).append("\n## HTTP/2 against two server implementations\n\n")
                .append("Written by `./bench --h2-servers` on ").append(LocalDate.now()).append(". W1 warm (")
                .append(quick ? "median of 2" : "median of 5").append(", by CPU), the stand-in ").append(LATENCY_MS)
                .append(" ms away over TLS, offering h2 and HTTP/1.1 by ALPN as PubNub does: WireMock's server (Jetty) and Node's own `http2` ")
                .append("module (`src/test/node/pubnub-standin.mjs`); and Node's `https` offering HTTP/1.1 only, where a function that offers ")
                .append("HTTP/2 falls back. The function offered HTTP/2 (`PUBNUB_HTTP2=true`) or kept to HTTP/1.1. ")
                .append("TLS connections: what Node's server accepted over the whole process (two warm-ups and the measured runs; ")
                .append("WireMock keeps no count).\n\n")
                .append("| build | memory | server | PUBNUB_HTTP2 | protocol | warm W1 | CPU per 10k records | TLS connections | CPU, h2 ÷ HTTP/1.1 |\n")
                .append("|---|---|---|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            Row h1 = rows.stream().filter(o -> o.build.equals(r.build) && o.memoryMb == r.memoryMb && o.server.equals(r.server) && !o.http2)
                    .findFirst().orElse(r);
            md.append(String.format(Locale.ROOT, "| %s | %d MB | %s | %s | %s | %.2f s | %,d ms | %s | %s |%n", r.build, r.memoryMb, r.server,
                    r.http2, r.protocol, r.warmSeconds, r.cpuMillisPer10k, r.connections < 0 ? "–" : String.format(Locale.ROOT, "%,d", r.connections),
                    r.http2 ? String.format(Locale.ROOT, "%.2f×", (double) r.cpuMillisPer10k / h1.cpuMillisPer10k) : ""));
        }
        return md.append("\n").append(END).toString();
    }

    /** The document with the section in place of its old one, or after the rest. */
    static String withSection(String doc, String section) {
        int begin = doc.indexOf(BEGIN);
        int end = doc.indexOf(END);
        if (begin >= 0 && end > begin) {
            return doc.substring(0, begin) + section + doc.substring(end + END.length());
        }
        return doc + (doc.isEmpty() || doc.endsWith("\n\n") ? "" : "\n") + section + "\n";
    }

    private void log(String format, Object... args) {
        out.printf("bench --h2-servers: " + format + "%n", args);
    }

    /**
     * The tests' stand-in, reached directly: a TCP front to count its connections would put proxy threads on
     * the same CPUs, and they weigh on 32 HTTP/1.1 connections more than on one h2 connection. Jetty's own
     * count is not kept, so none is reported.
     */
    static final class WireMock implements Server {
        private final WireMockServer server;

        private WireMock(WireMockServer server) {
            this.server = server;
        }

        static WireMock start(int latencyMs) {
            WireMockServer server = PubNubStandIn.newServer(0, PubNubStandIn.Transport.HTTPS_H2);
            server.start();
            server.setGlobalFixedDelay(latencyMs);
            return new WireMock(server);
        }

        @Override
        public String origin() {
            return PubNubStandIn.Transport.HTTPS_H2.origin(server);
        }

        @Override
        public long connections() {
            return -1;
        }

        @Override
        public void close() {
            server.stop();
        }
    }

    /** Node's http2 server, in a process of its own. */
    static final class NodeServer implements Server {
        private final Process process;
        private final BufferedReader output;
        private final int port;
        private long connections = -1;

        private NodeServer(Process process, BufferedReader output, int port) {
            this.process = process;
            this.output = output;
            this.port = port;
        }

        static NodeServer start(int latencyMs, boolean http1Only) throws IOException {
            TestCertificates certificates = TestCertificates.get();
            List<String> command = new ArrayList<>(List.of("node", "src/test/node/pubnub-standin.mjs", "--pfx",
                    certificates.serverKeyStore.toString(), "--passphrase", TestCertificates.PASSWORD, "--latency", Integer.toString(latencyMs)));
            if (http1Only) {
                command.add("--http1-only");
            }
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String first = output.readLine();
            if (first == null || !first.startsWith("{")) {
                process.destroyForcibly();
                throw new IOException("Node's stand-in did not start (is node 20 on the PATH?): " + first);
            }
            return new NodeServer(process, output, Benchmarks.JSON.readTree(first).path("port").asInt());
        }

        @Override
        public String origin() {
            return "https://127.0.0.1:" + port;
        }

        @Override
        public long connections() {
            if (connections < 0) {
                stop();
            }
            return connections;
        }

        private void stop() {
            // SIGTERM through the handle: Process.destroy() would close the pipe before the counts are read.
            process.toHandle().destroy();
            try (BufferedReader rest = output) {
                for (String line = rest.readLine(); line != null; line = rest.readLine()) {
                    if (line.startsWith("{")) {
                        JsonNode counts = Benchmarks.JSON.readTree(line);
                        connections = counts.path("connections").asLong(-1);
                    }
                }
                process.waitFor(5, TimeUnit.SECONDS);
            } catch (IOException | InterruptedException e) {
                connections = -1;
            }
        }

        @Override
        public void close() {
            if (connections < 0) {
                stop();
            }
            process.destroyForcibly();
        }
    }
}
