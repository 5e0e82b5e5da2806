package io.syncfanout.bench;

/**
 * One build's figures at one memory size.
 *
 * @param build {@code jvm} (the managed Java runtime) or {@code native} ({@code provided.al2023})
 * @param concurrency the publish concurrency the function chose for the size
 * @param coldStartSeconds from starting the process to the answer of a one-record event, median
 * @param quarkusStartSeconds what Quarkus reports as its own start, within that
 * @param coldW1Seconds from starting the process to the answer of W1 as its first invocation, median
 * @param coldW1OwnSeconds the function's own time for that invocation
 * @param coldW1Failed records of it in batchItemFailures
 * @param coldW1CpuMillis the process's CPU over that invocation
 * @param warmW1Seconds the function's own time for W1 once warm, median
 * @param warmW1ClientSeconds from posting W1 to the answer, the same runs
 * @param warmW1CpuMillis the process's CPU over one warm W1
 * @param requests publishes PubNub acknowledged in one W1
 * @param floorSeconds the same publishes as bare async POSTs on Vert.x's HTTP client (the one the
 *        function sends with), held to the same size, median
 * @param floorCpuMillis that floor process's CPU per run
 * @param jdkFloorSeconds the same on the JDK's HTTP client, which needs more CPU per request
 * @param jdkFloorCpuMillis that floor process's CPU per run
 * @param peakRssKb the function process's peak resident memory over the warm runs
 * @param records W1's records
 */
record BuildFigures(String build, int concurrency, double coldStartSeconds, double quarkusStartSeconds, double coldW1Seconds,
        double coldW1OwnSeconds, int coldW1Failed, long coldW1CpuMillis, double warmW1Seconds, double warmW1ClientSeconds,
        int warmW1Failed, long warmW1CpuMillis, int requests, double floorSeconds, long floorCpuMillis, double jdkFloorSeconds,
        long jdkFloorCpuMillis, long peakRssKb, int records) {

    double timesFloor() {
        return warmW1Seconds / floorSeconds;
    }

    double cpuMillisPer1000Records() {
        return warmW1CpuMillis * 1000.0 / records;
    }

    /** What Lambda bills for 10,000 records at this memory size, warm. */
    double gbSecondsPer10000Records(int memoryMb) {
        return memoryMb / 1024.0 * warmW1Seconds * 10_000 / records;
    }
}
