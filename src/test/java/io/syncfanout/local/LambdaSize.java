package io.syncfanout.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What Lambda gives a function of a memory size, reproduced with cgroup v1 (as root): that much
 * memory, and CPU in proportion to it, 1,769 MB being one vCPU
 * (<a href="https://docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html">AWS</a>), so
 * 512 MB is 0.29 of one. A process started through {@link #wrap} is held to both from its first
 * instruction; its threads and children too.
 */
public final class LambdaSize implements AutoCloseable {

    /** The memory size at which Lambda gives one whole vCPU. */
    public static final int ONE_VCPU_MB = 1_769;
    private static final int PERIOD_US = 100_000;
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private final int memoryMb;
    private final Path cpu;
    private final Path memory;

    private LambdaSize(int memoryMb, Path cpu, Path memory) {
        this.memoryMb = memoryMb;
        this.cpu = cpu;
        this.memory = memory;
    }

    /** Two fresh cgroups, CPU and memory, set for {@code memoryMb}. */
    public static LambdaSize of(int memoryMb) throws IOException {
        String name = "sync-fanout-" + ProcessHandle.current().pid() + "-" + SEQUENCE.incrementAndGet();
        Path cpu = ownCgroup("cpu").resolve(name);
        Path memory = ownCgroup("memory").resolve(name);
        try {
            Files.createDirectories(cpu);
            Files.writeString(cpu.resolve("cpu.cfs_period_us"), Integer.toString(PERIOD_US));
            Files.writeString(cpu.resolve("cpu.cfs_quota_us"), Long.toString((long) PERIOD_US * memoryMb / ONE_VCPU_MB));
            Files.createDirectories(memory);
            Files.writeString(memory.resolve("memory.limit_in_bytes"), Long.toString(memoryMb * 1024L * 1024L));
        } catch (IOException e) {
            throw new IOException("cannot hold a process to " + memoryMb + " MB's share: cgroup v1 cpu and memory controllers "
                    + "under /sys/fs/cgroup must be writable (run as root): " + e.getMessage(), e);
        }
        return new LambdaSize(memoryMb, cpu, memory);
    }

    public int memoryMb() {
        return memoryMb;
    }

    /** The vCPUs this size gets: 0.29 for 512 MB. */
    public double vcpus() {
        return (double) memoryMb / ONE_VCPU_MB;
    }

    /** The command, started inside both cgroups: a shell joins them, then becomes the command. */
    public List<String> wrap(List<String> command) {
        List<String> wrapped = new ArrayList<>(List.of("sh", "-c",
                "echo $$ > '" + cpu.resolve("cgroup.procs") + "' && echo $$ > '" + memory.resolve("cgroup.procs") + "' && exec \"$@\"",
                "lambda-size"));
        wrapped.addAll(command);
        return wrapped;
    }

    /** The most memory the group's processes held at once, page cache included (cgroup v1's max_usage_in_bytes). */
    public long peakMemoryBytes() throws IOException {
        return Long.parseLong(Files.readString(memory.resolve("memory.max_usage_in_bytes")).trim());
    }

    /** How many of the group's processes the kernel killed for memory. */
    public long oomKills() throws IOException {
        for (String line : Files.readAllLines(memory.resolve("memory.oom_control"))) {
            if (line.startsWith("oom_kill ")) {
                return Long.parseLong(line.substring("oom_kill ".length()).trim());
            }
        }
        return 0;
    }

    /** Removes the cgroups; their processes must have exited. */
    @Override
    public void close() {
        for (Path group : List.of(cpu, memory)) {
            try {
                Files.deleteIfExists(group);
            } catch (IOException stillInUse) {
                // A process outlived its run; the kernel drops an empty cgroup's directory on rmdir later.
            }
        }
    }

    /** This process's own cgroup for a controller, under which the new ones go. */
    private static Path ownCgroup(String controller) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/cgroup"))) {
            String[] parts = line.split(":", 3);
            if (parts.length == 3 && List.of(parts[1].split(",")).contains(controller)) {
                return Path.of("/sys/fs/cgroup", parts[1], parts[2]);
            }
        }
        throw new IOException("no cgroup v1 '" + controller + "' controller (see /proc/self/cgroup)");
    }
}
