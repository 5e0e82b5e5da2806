package io.syncfanout.capacity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.syncfanout.capacity.InstanceCapacity.Curve;
import io.syncfanout.capacity.InstanceCapacity.Point;

class InstanceCapacityTest {

    static final Curve W1 = new Curve(List.of(new Point(100, 10, 0.4, 40), new Point(10, 1, 0.1, 10), new Point(1_000, 100, 2.2, 220)));
    static final Curve W2 = new Curve(List.of(new Point(10, 10, 0.3, 30), new Point(1_000, 1_000, 6.0, 900)));

    @Test
    void betweenTwoMeasuredBatchesTheTimeIsOnTheLineBetweenThem() {
        // 55 records: halfway from 10 (0.1 s) to 100 (0.4 s).
        assertEquals(0.25, W1.secondsAt(55), 1e-9);
        assertEquals(0.4, W1.secondsAt(100), 1e-9);
        // CPU too: halfway from 40 ms to 220 ms at 550 records.
        assertEquals(0.13, W1.cpuSecondsAt(550), 1e-9);
    }

    @Test
    void pastTheLargestBatchTheLastSlopeGoesOnAndBelowTheSmallestNothingIsCheaper() {
        // 2,000 records: 2.2 s + 1,000 × (1.8 s / 900).
        assertEquals(4.2, W1.secondsAt(2_000), 1e-9);
        assertEquals(0.1, W1.secondsAt(1), 1e-9);
    }

    @Test
    void aBatchBetweenTheTwoShapesIsPricedByItsPublishesPerRecord() {
        InstanceCapacity instance = new InstanceCapacity("native", 512, 0.3, W1, W2);
        // W1 publishes 0.1 a record, W2 1.0: 0.55 a record is halfway.
        assertEquals(0.5, instance.shareOfW2(1_000, 550), 1e-9);
        assertEquals((2.2 + 6.0) / 2, instance.invocationSeconds(1_000, 550), 1e-9);
        // Outside the two shapes, the nearer one's figure.
        assertEquals(2.2, instance.invocationSeconds(1_000, 20), 1e-9);
        assertEquals(6.0, instance.invocationSeconds(1_000, 1_000), 1e-9);
        assertEquals((0.22 + 0.9) / 2, instance.cpuSeconds(1_000, 550), 1e-9);
    }

    @Test
    void readsTheBenchmarksJsonAndLeavesOutWhatCouldNotBeMeasured(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("capacity.json");
        Files.writeString(json, """
                {"instances":[
                  {"build":"native","memoryMb":256,"coldSeconds":0.8,"error":null,"runs":[
                    {"shape":"w1","records":10,"publishes":1,"ownSeconds":0.05,"cpuMillis":20,"failed":0},
                    {"shape":"w2","records":10,"publishes":10,"ownSeconds":0.09,"cpuMillis":30,"failed":0}]},
                  {"build":"native","memoryMb":128,"coldSeconds":4.2,"crashedAtRecords":5000,"error":"Killed","runs":[
                    {"shape":"w1","records":10,"publishes":1,"ownSeconds":0.05,"cpuMillis":20,"failed":0},
                    {"shape":"w1","records":1000,"publishes":100,"ownSeconds":0.9,"cpuMillis":80,"failed":0},
                    {"shape":"w2","records":10,"publishes":10,"ownSeconds":0.09,"cpuMillis":30,"failed":0},
                    {"shape":"w2","records":1000,"publishes":1000,"ownSeconds":2.9,"cpuMillis":300,"failed":0}]},
                  {"build":"jvm","memoryMb":128,"coldSeconds":0,"error":"the function exited before answering","runs":[]}]}
                """);
        List<InstanceCapacity> instances = InstanceCapacity.read(json);
        assertEquals(2, instances.size());
        // It exited on 5,000 records: it is never given more than the 1,000 it answered.
        assertEquals(1_000, InstanceCapacity.of(instances, "native", 128).largestBatch());
        InstanceCapacity native256 = InstanceCapacity.of(instances, "native", 256);
        assertEquals(0.8, native256.coldSeconds());
        assertEquals(0.09, native256.w2().secondsAt(10), 1e-9);
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> InstanceCapacity.of(instances, "jvm", 128));
        assertTrue(missing.getMessage().contains("measured: [native 256 MB, native 128 MB]"), missing.getMessage());
    }
}
