package io.syncfanout.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import javax.imageio.ImageIO;

/** The benchmark's figures, the targets they are held to, and a chart. */
record Report(String date, int latencyMs, int concurrency, int w1Records, int w2Records, Benchmarks.Run w1, Benchmarks.Run w2,
        double[] w3, double roundTripMs, Benchmarks.ColdStarts cold, long peakRssKb, Benchmarks.Run w1Xmx128, double floorSeconds,
        double sdkConcurrentSeconds, double sdkSequentialSeconds, boolean quick) {

    double requestsPerRecord() {
        return (double) w1.requests() / w1Records;
    }

    String markdown() {
        double w1Ratio = w1.seconds() / floorSeconds;
        double requestRatio = (double) w1Records / w1.requests();
        // Like for like: the peers' timed regions start with the records in memory and end when all are
        // published, as the function's own time does; the client-side time adds the local Runtime API
        // carrying a 10 MB event to the runtime client and Funqy reading it, which no peer pays.
        double speedup = sdkConcurrentSeconds / w1.functionSeconds();
        double clientSideSpeedup = sdkConcurrentSeconds / w1.seconds();
        double xmxSlowdown = w1Xmx128.seconds() / w1.seconds() - 1;
        StringBuilder md = new StringBuilder();
        md.append("# Benchmarks\n\n");
        md.append("Written by `./bench` on ").append(date).append(", on this machine (2 cores, 24 GiB), against the PubNub stand-in with ")
                .append(latencyMs).append(" ms of added latency per request. The function runs packaged (`target/function.zip`, JVM) ")
                .append("under AWS's Lambda Java runtime client, invoked through the Lambda Runtime API; the peers run against the same ")
                .append("stand-in in the same run. Publish concurrency: ").append(concurrency).append(".\n\n");
        md.append("![W1 warm time by publisher](benchmarks.png)\n\n");
        md.append("## Figures\n\n");
        md.append("| workload | publisher | requests | requests per record | warm seconds, client-side | own seconds | records per second (own) "
                + "| CPU ms per 1,000 records |\n");
        md.append("|---|---|---|---|---|---|---|---|\n");
        md.append(row("W1 burst", "sync-fanout", w1.requests(), w1Records, w1.seconds(), w1.functionSeconds(), w1.cpuMillis()));
        md.append(row("W1 burst", "floor: bare async POSTs, same publishes", w1.requests(), w1Records, -1, floorSeconds, -1));
        md.append(row("W1 burst", "naive SDK publisher, " + concurrency + " threads", w1Records, w1Records, -1, sdkConcurrentSeconds, -1));
        md.append(row("W1 burst", "naive SDK publisher, sequential" + (quick ? " (extrapolated from 1,000)" : ""), w1Records, w1Records,
                -1, sdkSequentialSeconds, -1));
        md.append(row("W1 burst", "sync-fanout under -Xmx128m", w1Xmx128.requests(), w1Records, w1Xmx128.seconds(), w1Xmx128.functionSeconds(),
                w1Xmx128.cpuMillis()));
        md.append(row("W2 spread", "sync-fanout", w2.requests(), w2Records, w2.seconds(), w2.functionSeconds(), w2.cpuMillis()));
        md.append("\n");
        md.append(String.format("- W3, small batches: %,d invocations of 10 records on one warm function: p50 **%.1f ms**, p99 **%.1f ms** "
                + "client-side; the function's own time (start to answer, from its summary line) p50 **%.0f ms**; one publish round trip "
                + "to the stand-in: %.1f ms. The difference between the first and second figure is the local Runtime API (Quarkus's mock "
                + "event server and the runtime client's long poll), which Lambda's own, in-sandbox API does not add.%n",
                (int) w3[2], w3[0], w3[1], w3[3], roundTripMs));
        md.append(String.format("- Cold start (JVM, process start to the first answer, under the runtime client, median of 7 taking turns "
                + "with the trivial function): **%.2f s**, of which Quarkus's own start %.2f s; a trivial Funqy function on the same Quarkus "
                + "taking the same event (`benchmarks/trivial-funqy`): %.2f s, of which Quarkus's start %.2f s.%n",
                cold.seconds(), cold.quarkusStart(), cold.trivialSeconds(), cold.trivialQuarkusStart()));
        md.append(String.format("- Peak RSS of the function process over W1, W2 and W3: **%d MB**.%n%n", peakRssKb / 1024));
        md.append("## Targets\n\n| target | measured | met |\n|---|---|---|\n");
        md.append(target("W1 requests per record = channels / records (0.100)", String.format("%.3f", requestsPerRecord()),
                Math.abs(requestsPerRecord() - 0.100) < 1e-9));
        md.append(target("W1 warm time ≤ 1.25 × the floor", String.format("%.2f ×", w1Ratio), w1Ratio <= 1.25));
        md.append(target("speed-up over the naive SDK at equal concurrency ≥ 90% of the request ratio (" + String.format("%.1f", requestRatio) + ")",
                String.format("%.1f × (%.0f%%) on own times; client-side %.1f × (%.0f%%)", speedup, 100 * speedup / requestRatio,
                        clientSideSpeedup, 100 * clientSideSpeedup / requestRatio), speedup >= 0.9 * requestRatio));
        md.append(target("W3 p50 within 5 ms of one publish round trip (client-side)", String.format("%.1f ms vs %.1f ms", w3[0], roundTripMs),
                w3[0] - roundTripMs <= 5));
        md.append(target("… the function's own time", String.format("%.0f ms vs %.1f ms", w3[3], roundTripMs), w3[3] - roundTripMs <= 5));
        md.append(target("W1 under -Xmx128m, less than 10% slower", String.format("%+.0f%%", 100 * xmxSlowdown), xmxSlowdown < 0.10));
        md.append(target("cold start ≤ 1.3 × a trivial Funqy function's", String.format("%.2f s vs %.2f s (%.2f ×)", cold.seconds(),
                cold.trivialSeconds(), cold.seconds() / cold.trivialSeconds()), cold.seconds() <= 1.3 * cold.trivialSeconds()));
        md.append("\nNotes: CPU is the function process's user + system time from /proc over the measured invocation. "
                + "Client-side seconds run from posting the event to the local Runtime API to receiving the answer, median of 3; "
                + "own seconds are the function's own (start to answer, from its summary line) for that same invocation, and for the "
                + "peers the time from having the records in memory to having published them all. The speed-up over the SDK compares "
                + "own seconds, like for like: the client-side figure adds the local Runtime API carrying the 10 MB W1 event to the "
                + "runtime client and Funqy reading it into an SQSEvent, which no peer does (both are shown). "
                + "The floor replays exactly the publishes sync-fanout made on W1 (paths and bodies from the stand-in's journal). "
                + "On this 2-core machine the stand-in, the peers and the function share the cores, so W1 figures vary by up to a "
                + "quarter between runs and targets near their bound can pass in one run and fail in the next; the requests-per-record "
                + "figures do not vary. Where the time goes, and what was tuned: [profiling.md](profiling.md).\n");
        return md.toString();
    }

    private static String row(String workload, String publisher, int requests, int records, double clientSeconds, double ownSeconds,
            long cpuMillis) {
        return String.format("| %s | %s | %,d | %.3f | %s | %.3f | %,.0f | %s |%n", workload, publisher, requests, (double) requests / records,
                clientSeconds < 0 ? "–" : String.format("%.3f", clientSeconds), ownSeconds, records / ownSeconds,
                cpuMillis < 0 ? "–" : String.format("%.0f", cpuMillis * 1000.0 / records));
    }

    private static String target(String what, String measured, Boolean met) {
        return "| " + what + " | " + measured + " | " + (met == null ? "not measured" : met ? "yes" : "**no**") + " |\n";
    }

    void write(Path markdown, Path chart) throws Exception {
        Files.writeString(markdown, markdown());
        chart(chart);
    }

    /** Horizontal bars of W1 own seconds on a log scale: the peers differ by orders of magnitude. */
    private void chart(Path file) throws Exception {
        List<String> labels = List.of("sync-fanout", "floor (bare POSTs)", "SDK, " + concurrency + " threads", "SDK, sequential",
                "sync-fanout, -Xmx128m");
        double[] values = { w1.functionSeconds(), floorSeconds, sdkConcurrentSeconds, sdkSequentialSeconds, w1Xmx128.functionSeconds() };
        int width = 900;
        int height = 120 + labels.size() * 56;
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setColor(Color.DARK_GRAY);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
        g.drawString(String.format("W1 burst, %,d records for 1,000 users: seconds to publish them all (log scale, lower is better)",
                w1Records), 20, 34);
        double min = 0.1;
        double max = Math.max(1, java.util.Arrays.stream(values).max().orElse(1)) * 1.5;
        int left = 220;
        int right = width - 40;
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        for (int i = 0; i < labels.size(); i++) {
            int y = 70 + i * 56;
            double v = Math.max(values[i], min);
            int bar = (int) ((Math.log10(v) - Math.log10(min)) / (Math.log10(max) - Math.log10(min)) * (right - left));
            g.setColor(i == 0 || i == 4 ? new Color(0x2b6cb0) : new Color(0xa0aec0));
            g.fillRect(left, y, Math.max(bar, 2), 34);
            g.setColor(Color.DARK_GRAY);
            g.drawString(labels.get(i), 20, y + 22);
            g.drawString(String.format("%.2f s", values[i]), left + Math.max(bar, 2) + 8, y + 22);
        }
        g.setStroke(new BasicStroke(1));
        g.setColor(Color.LIGHT_GRAY);
        for (double tick = min; tick <= max; tick *= 10) {
            int x = left + (int) ((Math.log10(tick) - Math.log10(min)) / (Math.log10(max) - Math.log10(min)) * (right - left));
            g.drawLine(x, 56, x, height - 30);
            g.drawString(tick < 1 ? String.format("%.1f s", tick) : String.format("%.0f s", tick), x - 12, height - 12);
        }
        g.dispose();
        ImageIO.write(image, "png", file.toFile());
    }
}
