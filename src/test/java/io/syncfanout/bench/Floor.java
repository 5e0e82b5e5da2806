package io.syncfanout.bench;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.jboss.logging.Logger;

/**
 * The floor in a process of its own, so that it can be held to the same CPU share as the function:
 * the publishes the function made, replayed as bare async POSTs on two clients, the JDK's
 * ({@link Peers#floor}) and Vert.x's ({@link Peers#floorOnVertx}), each warmed up, then timed.
 * Prints, per client, the median seconds and the process's CPU milliseconds per run.
 *
 * <pre>java io.syncfanout.bench.Floor &lt;publishes file&gt; &lt;stand-in port&gt; &lt;concurrency&gt; &lt;warm-ups&gt; &lt;runs&gt;</pre>
 */
public final class Floor {

    private static final Logger LOG = Logger.getLogger(Floor.class);

    private Floor() {
    }

    public static void main(String[] args) throws Exception {
        List<Map.Entry<String, byte[]>> publishes = read(Path.of(args[0]));
        int port = Integer.parseInt(args[1]);
        int concurrency = Integer.parseInt(args[2]);
        int warmUps = Integer.parseInt(args[3]);
        int runs = Integer.parseInt(args[4]);
        io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
        measure("jdk", () -> Peers.floor(port, publishes, concurrency), warmUps, runs);
        measure("vertx", () -> Peers.floorOnVertx(vertx, port, publishes, concurrency), warmUps, runs);
        vertx.close();
        System.exit(0);
    }

    private static void measure(String client, Benchmarks.Timed run, int warmUps, int runs) throws Exception {
        for (int i = 0; i < warmUps; i++) {
            untilAnswered(run);
        }
        double[] seconds = new double[runs];
        long cpuBefore = Benchmarks.cpuMillis(ProcessHandle.current().pid());
        for (int i = 0; i < runs; i++) {
            seconds[i] = untilAnswered(run) / 1e9;
        }
        long cpuPerRun = (Benchmarks.cpuMillis(ProcessHandle.current().pid()) - cpuBefore) / runs;
        Arrays.sort(seconds);
        System.out.println("floor " + client + " " + seconds[runs / 2] + " " + cpuPerRun);
    }

    /** A run with a POST left unanswered is run again (twice at most): it measured the stand-in, not the client. */
    private static long untilAnswered(Benchmarks.Timed run) throws Exception {
        for (int attempt = 1;; attempt++) {
            try {
                return run.nanos();
            } catch (IllegalStateException unanswered) {
                if (attempt == 3) {
                    throw unanswered;
                }
                LOG.warnf("floor run again: %s", unanswered.getMessage());
            }
        }
    }

    /** The publishes as the function made them: path and query, then body. */
    static void write(Path file, List<Map.Entry<String, byte[]>> publishes) throws IOException {
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(file))) {
            out.writeInt(publishes.size());
            for (Map.Entry<String, byte[]> publish : publishes) {
                out.writeUTF(publish.getKey());
                out.writeInt(publish.getValue().length);
                out.write(publish.getValue());
            }
        }
    }

    static List<Map.Entry<String, byte[]>> read(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(Files.newInputStream(file))) {
            int count = in.readInt();
            List<Map.Entry<String, byte[]>> publishes = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                String url = in.readUTF();
                byte[] body = new byte[in.readInt()];
                in.readFully(body);
                publishes.add(new AbstractMap.SimpleEntry<>(url, body));
            }
            return publishes;
        }
    }
}
