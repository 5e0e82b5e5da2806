package io.syncfanout.bench;

import java.util.List;

/**
 * What one {@code ./bench --memory} run measured at one size, kept in {@code docs/benchmarks/} so
 * that {@code docs/benchmarks.md} shows every size measured, each with its own date.
 *
 * @param memoryMb the Lambda memory size reproduced, or 0 for the whole machine
 * @param timeoutSeconds the function timeout Lambda's deadline counted
 * @param cores the machine's cores
 * @param peers the naive SDK publisher, W2 and W3, measured on the whole machine with --peers
 */
record SizeResults(int memoryMb, String date, int latencyMs, long timeoutSeconds, int cores, List<BuildFigures> builds,
        Peers.Figures peers) {

    String key() {
        return memoryMb == 0 ? "whole" : Integer.toString(memoryMb);
    }

    String label() {
        return memoryMb == 0 ? "whole machine (" + cores + " cores)"
                : String.format("%,d MB (%.2f vCPU)", memoryMb, (double) memoryMb / io.syncfanout.local.LambdaSize.ONE_VCPU_MB);
    }

    BuildFigures build(String name) {
        return builds.stream().filter(b -> b.build().equals(name)).findFirst().orElse(null);
    }
}
