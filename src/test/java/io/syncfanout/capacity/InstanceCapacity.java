package io.syncfanout.capacity;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What one warm instance of a build at a memory size does with a batch, from {@code ./bench --capacity}'s
 * figures: the time an invocation takes for its records and publishes, and what a cold start costs.
 * Between two measured batch sizes the time is interpolated linearly; past the largest it goes on at the
 * last slope. Between W1's shape (10 records a publish) and W2's (one) it is interpolated by the share of
 * records that need a publish of their own.
 */
public record InstanceCapacity(String build, int memoryMb, double coldSeconds, Curve w1, Curve w2, int crashedAtRecords) {

    public InstanceCapacity(String build, int memoryMb, double coldSeconds, Curve w1, Curve w2) {
        this(build, memoryMb, coldSeconds, w1, w2, 0);
    }

    /** The largest batch this instance may be given: below the one it exited on, if it did. */
    public double largestBatch() {
        return crashedAtRecords > 0 ? Math.min(w1.largest(), w2.largest()) : Double.MAX_VALUE;
    }

    /** One measured invocation: its records, the publishes they took, its own time and CPU. */
    public record Point(int records, int publishes, double seconds, long cpuMillis) {
    }

    /** One workload shape's invocations, by batch size. */
    public record Curve(List<Point> points) {

        public Curve {
            points = points.stream().sorted(Comparator.comparingInt(Point::records)).toList();
            if (points.isEmpty()) {
                throw new IllegalArgumentException("a curve needs at least one measured batch");
            }
        }

        /** Seconds for an invocation of {@code records} records of this shape. */
        public double secondsAt(double records) {
            return at(records, Point::seconds);
        }

        /** CPU seconds for an invocation of {@code records} records of this shape. */
        public double cpuSecondsAt(double records) {
            return at(records, p -> p.cpuMillis() / 1e3);
        }

        int largest() {
            return points.get(points.size() - 1).records();
        }

        /** Publishes per record in this shape's measured runs, over all of them. */
        public double publishesPerRecord() {
            return (double) points.stream().mapToInt(Point::publishes).sum() / points.stream().mapToInt(Point::records).sum();
        }

        private double at(double records, java.util.function.ToDoubleFunction<Point> value) {
            Point first = points.get(0);
            if (points.size() == 1 || records <= first.records()) {
                return value.applyAsDouble(first);
            }
            for (int i = 1; i < points.size(); i++) {
                Point a = points.get(i - 1);
                Point b = points.get(i);
                if (records <= b.records() || i == points.size() - 1) {
                    double slope = Math.max(0, (value.applyAsDouble(b) - value.applyAsDouble(a)) / (b.records() - a.records()));
                    return value.applyAsDouble(a) + slope * (records - a.records());
                }
            }
            throw new AssertionError("unreachable");
        }
    }

    /** Seconds an invocation takes for {@code records} records sent in {@code publishes} publishes. */
    public double invocationSeconds(double records, double publishes) {
        double f = shareOfW2(records, publishes);
        return (1 - f) * w1.secondsAt(records) + f * w2.secondsAt(records);
    }

    /** CPU seconds of such an invocation. */
    public double cpuSeconds(double records, double publishes) {
        double f = shareOfW2(records, publishes);
        return (1 - f) * w1.cpuSecondsAt(records) + f * w2.cpuSecondsAt(records);
    }

    /** Where a batch lies between W1's publishes per record (0) and W2's (1). */
    double shareOfW2(double records, double publishes) {
        double q = publishes / records;
        double q1 = w1.publishesPerRecord();
        double q2 = w2.publishesPerRecord();
        return Math.max(0, Math.min(1, (q - q1) / (q2 - q1)));
    }

    /** The vCPUs Lambda gives this memory size: one at 1,769 MB. */
    public double vcpus() {
        return memoryMb / 1769.0;
    }

    /** Every instance {@code ./bench --capacity} measured, from its JSON; sizes it could not run at all are left out. */
    public static List<InstanceCapacity> read(Path json) throws IOException {
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        List<InstanceCapacity> instances = new ArrayList<>();
        for (JsonNode instance : root.path("instances")) {
            if (instance.path("runs").isEmpty()) {
                continue;
            }
            List<Point> w1 = new ArrayList<>();
            List<Point> w2 = new ArrayList<>();
            for (JsonNode run : instance.path("runs")) {
                Point p = new Point(run.path("records").asInt(), run.path("publishes").asInt(), run.path("ownSeconds").asDouble(),
                        run.path("cpuMillis").asLong());
                (run.path("shape").asText().equals("w1") ? w1 : w2).add(p);
            }
            instances.add(new InstanceCapacity(instance.path("build").asText(), instance.path("memoryMb").asInt(),
                    instance.path("coldSeconds").asDouble(), new Curve(w1), new Curve(w2), instance.path("crashedAtRecords").asInt()));
        }
        return instances;
    }

    /** The measured instance of this build and size, or a message naming the ones there are. */
    public static InstanceCapacity of(List<InstanceCapacity> measured, String build, int memoryMb) {
        return measured.stream().filter(i -> i.build.equals(build) && i.memoryMb == memoryMb).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no measured " + build + " instance at " + memoryMb + " MB; measured: "
                        + measured.stream().map(i -> i.build + " " + i.memoryMb + " MB").toList() + " (./bench --capacity measures more)"));
    }
}
