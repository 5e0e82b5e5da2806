package io.syncfanout.bench;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

/** Every size measured, the targets they are held to, and a chart: docs/benchmarks.md. */
record Report(List<SizeResults> sizes) {

    static Report load(Path directory) throws IOException {
        List<SizeResults> sizes = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                sizes.add(Benchmarks.read(file));
            }
        }
        // Lambda's sizes from small to large, the whole machine last.
        sizes.sort(Comparator.comparingInt(s -> s.memoryMb() == 0 ? Integer.MAX_VALUE : s.memoryMb()));
        return new Report(sizes);
    }

    SizeResults size(int memoryMb) {
        return sizes.stream().filter(s -> s.memoryMb() == memoryMb).findFirst().orElse(null);
    }

    String markdown() {
        StringBuilder md = new StringBuilder("# Benchmarks\n\n");
        md.append("Written by `./bench`. Each size is the packaged function as Lambda runs it (the JVM build under AWS's Lambda Java "
                + "runtime client, the native build as its `bootstrap`), held with cgroups to the CPU share and memory Lambda gives that "
                + "memory size (1,769 MB = one vCPU), against the PubNub stand-in with added latency; the floor is the same publishes as "
                + "bare async POSTs from a JVM held to the same share. How: [Measuring it](measuring.md).\n\n");
        md.append("These runs are over plain HTTP, beside a floor that speaks it. PubNub is HTTPS: the same W1 over TLS, with HTTP/2 "
                + "and with HTTP/1.1 only, and what a user pays, are in [benchmarks-tls.md](benchmarks-tls.md) (`./bench --tls`).\n\n");
        md.append("![Warm W1 beside the floor, by size](benchmarks.png)\n\n");
        md.append("## W1: 10,000 records for 1,000 users (1,000 publishes)\n\n");
        md.append("| size | build | cold start | cold W1 | cold W1 delivered | warm W1 | floor | × floor | floor on the JDK's client "
                + "| CPU ms per 1,000 records | GB-s per 10,000 records | peak RSS | measured |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (SizeResults size : sizes) {
            for (BuildFigures b : size.builds()) {
                md.append(String.format("| %s | %s | %.2f s | %.2f s | %,d of %,d | %.3f s | %.3f s | %.2f | %.3f s | %.0f | %s | %d MB | %s |%n",
                        size.label(), b.build(), b.coldStartSeconds(), b.coldW1Seconds(), b.records() - b.coldW1Failed(), b.records(),
                        b.warmW1Seconds(), b.floorSeconds(), b.timesFloor(), b.jdkFloorSeconds(), b.cpuMillisPer1000Records(),
                        size.memoryMb() == 0 ? "–" : String.format("%.2f", b.gbSecondsPer10000Records(size.memoryMb())),
                        b.peakRssKb() / 1024, size.date()));
            }
        }
        md.append("\n- **cold start**: from starting the process to the answer of a one-record event, median of 5 (Quarkus's own start is "
                + "part of it); **cold W1**: from starting the process to the answer when W1 is its first invocation, median of 3, with "
                + "Lambda's deadline set by the function timeout noted below; **warm W1**: the function's own time (its summary line, from "
                + "receiving the event to answering) once warm, median of 7; **floor**: first request to last answer of the same publishes, "
                + "median of 7 after five warm-ups, on Vert.x's HTTP client (the one the function publishes with), in a JVM held to the same "
                + "share, at the same concurrency (32); **floor on the JDK's client**: the same on `java.net.http`, which needs two to "
                + "three times the CPU per request; **CPU**: the function process's user + system time over one warm W1; **GB-s**: what "
                + "Lambda bills for it (memory × warm seconds).\n");
        for (SizeResults size : sizes) {
            md.append(String.format("- %s: stand-in latency %d ms, function timeout %d s, measured %s.%n", size.label(), size.latencyMs(),
                    size.timeoutSeconds(), size.date()));
        }
        md.append("\n## Targets\n\n| target | measured | met |\n|---|---|---|\n");
        targets(md);
        SizeResults whole = size(0);
        if (whole != null && whole.peers() != null) {
            peers(md, whole);
        }
        md.append("\nOn this 2-core machine the stand-in and the harness run beside the function, outside its share; a function held to a "
                + "share of one core cannot use the other. Figures near a bound vary by a tenth or so between runs. Where the time goes: "
                + "[profiling.md](profiling.md).\n");
        return md.toString();
    }

    private void targets(StringBuilder md) {
        for (int memoryMb : new int[] { 0, 512 }) {
            SizeResults size = size(memoryMb);
            BuildFigures jvm = size == null ? null : size.build("jvm");
            BuildFigures nativeBuild = size == null ? null : size.build("native");
            if (jvm != null && nativeBuild != null) {
                double ratio = nativeBuild.coldStartSeconds() / jvm.coldStartSeconds();
                md.append(target("native start to first answer ≤ 0.1 × the JVM build's, " + size.label(),
                        String.format("%.3f s vs %.2f s (%.3f ×)", nativeBuild.coldStartSeconds(), jvm.coldStartSeconds(), ratio), ratio <= 0.1));
            }
        }
        SizeResults at512 = size(512);
        if (at512 != null) {
            for (BuildFigures b : at512.builds()) {
                md.append(target(b.build() + " at 512 MB: the cold W1 invocation delivers all " + String.format("%,d", b.records())
                        + " records", String.format("%,d delivered", b.records() - b.coldW1Failed()), b.coldW1Failed() == 0));
                double bound = b.build().equals("native") ? 1.0 : 1.25;
                md.append(target(b.build() + " at 512 MB: warm W1 ≤ " + bound + " × the floor held to the same share",
                        String.format("%.3f s vs %.3f s (%.2f ×)", b.warmW1Seconds(), b.floorSeconds(), b.timesFloor()),
                        b.timesFloor() <= bound));
            }
        }
        for (int memoryMb : new int[] { 1769, 0 }) {
            SizeResults size = size(memoryMb);
            if (size != null) {
                for (BuildFigures b : size.builds()) {
                    md.append(target(b.build() + ", " + size.label() + ": warm W1 ≤ 1.10 × the floor"
                            + (memoryMb == 0 ? " at equal concurrency" : " held to the same share"),
                            String.format("%.3f s vs %.3f s (%.2f ×)", b.warmW1Seconds(), b.floorSeconds(), b.timesFloor()),
                            b.timesFloor() <= 1.10));
                }
            }
        }
    }

    private static void peers(StringBuilder md, SizeResults whole) {
        Peers.Figures p = whole.peers();
        BuildFigures jvm = whole.build("jvm");
        md.append("\n## Beside a naive publisher (whole machine)\n\n");
        md.append("| workload | publisher | requests | seconds |\n|---|---|---|---|\n");
        if (jvm != null) {
            md.append(String.format("| W1 | sync-fanout (JVM), warm, own time | %,d | %.3f |%n", jvm.requests(), jvm.warmW1Seconds()));
            md.append(String.format("| W1 | naive SDK publisher, one publish per record, 32 threads | %,d | %.2f |%n", jvm.records(),
                    p.sdkConcurrentSeconds()));
            md.append(String.format("| W1 | naive SDK publisher, sequential (from 1,000 records) | %,d | %.1f |%n", jvm.records(),
                    p.sdkSequentialSeconds()));
        }
        md.append(String.format("| W2, one record for each of %,d users | sync-fanout (JVM), own time | %,d | %.3f |%n", p.w2Records(),
                p.w2Requests(), p.w2Seconds()));
        md.append(String.format("%n- W3, 10 records per invocation: p50 %.1f ms post to answer; one publish round trip to the stand-in: "
                + "%.1f ms.%n", p.w3P50Millis(), p.roundTripMillis()));
    }

    private static String target(String what, String measured, boolean met) {
        return "| " + what + " | " + measured + " | " + (met ? "yes" : "**no**") + " |\n";
    }

    void write(Path markdown, Path chart) throws Exception {
        Files.writeString(markdown, markdown());
        chart(chart);
    }

    /** Warm W1 and the floor per size and build: bars in seconds, the title fitted to the width. */
    private void chart(Path file) throws Exception {
        List<String> labels = new ArrayList<>();
        List<double[]> values = new ArrayList<>();
        for (SizeResults size : sizes) {
            for (BuildFigures b : size.builds()) {
                labels.add((size.memoryMb() == 0 ? "whole machine" : String.format("%,d MB", size.memoryMb())) + ", " + b.build());
                values.add(new double[] { b.warmW1Seconds(), b.floorSeconds() });
            }
        }
        int width = 960;
        int rowHeight = 64;
        int height = 130 + labels.size() * rowHeight;
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setColor(Color.DARK_GRAY);
        String title = "W1 (10,000 records, 1,000 publishes), warm: sync-fanout beside the floor held to the same share (seconds, lower is better)";
        int size = 18;
        FontMetrics metrics;
        do {
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, size--));
            metrics = g.getFontMetrics();
        } while (metrics.stringWidth(title) > width - 40 && size > 8);
        g.drawString(title, 20, 34);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        g.setColor(new Color(0x2b6cb0));
        g.fillRect(20, 50, 14, 14);
        g.setColor(Color.DARK_GRAY);
        g.drawString("sync-fanout", 40, 62);
        g.setColor(new Color(0xa0aec0));
        g.fillRect(140, 50, 14, 14);
        g.setColor(Color.DARK_GRAY);
        g.drawString("floor: the same publishes as bare POSTs", 160, 62);
        double max = values.stream().mapToDouble(v -> Math.max(v[0], v[1])).max().orElse(1) * 1.15;
        int left = 190;
        int right = width - 90;
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        for (int i = 0; i < labels.size(); i++) {
            int y = 90 + i * rowHeight;
            g.setColor(Color.DARK_GRAY);
            g.drawString(labels.get(i), 20, y + 26);
            for (int bar = 0; bar < 2; bar++) {
                double v = values.get(i)[bar];
                int length = (int) (v / max * (right - left));
                g.setColor(bar == 0 ? new Color(0x2b6cb0) : new Color(0xa0aec0));
                g.fillRect(left, y + bar * 24, Math.max(length, 2), 20);
                g.setColor(Color.DARK_GRAY);
                g.drawString(String.format("%.2f s", v), left + Math.max(length, 2) + 6, y + bar * 24 + 16);
            }
        }
        g.dispose();
        ImageIO.write(image, "png", file.toFile());
    }
}
