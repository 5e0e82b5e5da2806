package io.syncfanout.queue;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import io.syncfanout.subscriber.Device;
import io.syncfanout.subscriber.Expected;
import io.syncfanout.testing.FaultInjector;
import io.syncfanout.testing.Updates;

/**
 * The soak through the queue (not in CI): minutes of producer traffic, some of it poison, into the local
 * queue, the event source mapping and the packaged function, against a stand-in that misbehaves at seeded
 * rates (5xx, 429s, resets, stalls, final 4xx). At the end the source queue is empty, the dead-letter queue
 * holds exactly the poison records, and every user's state on a device is the producers' history.
 *
 * <pre>./soak --queue [minutes=3] [updates per second=50]</pre>
 */
public final class QueueSoak {

    private static final long SEED = 20261203L;
    /** One update in this many is poison: it breaks the contract. */
    private static final int POISON_EVERY = 97;
    private static final int USERS = 200;

    public static void main(String[] args) throws Exception {
        List<String> rest = new ArrayList<>(List.of(args));
        rest.remove("--queue");
        double minutes = rest.size() > 0 ? Double.parseDouble(rest.get(0)) : 3;
        int rate = rest.size() > 1 ? Integer.parseInt(rest.get(1)) : 50;
        System.exit(new QueueSoak().run(System.out, Duration.ofSeconds((long) (minutes * 60)), rate) ? 0 : 1);
    }

    boolean run(PrintStream out, Duration length, int rate) throws Exception {
        Path work = Files.createDirectories(Path.of("target/soak-queue"));
        // Scaled down by infra/'s rule (visibility 6 x timeout + window), with its 5 receives; a 5 s timeout leaves a
        // stalled answer (2.5 s) room for one retry.
        QueueSettings settings = QueueSettings.scaled("sync-fanout-soak", false, Duration.ofSeconds(5), Duration.ofSeconds(1), 5);
        EventSourceMapping.Settings mapping = new EventSourceMapping.Settings(1_000, Duration.ofSeconds(1));
        FaultInjector faults = new FaultInjector(SEED, 2_500);
        out.printf("soak through the queue: %d s of %d updates a second (1 in %d poison), faults on (seed %d), visibility %d s, "
                + "%d receives, 2 environments%n", length.toSeconds(), rate, POISON_EVERY, SEED, settings.visibilityTimeout().toSeconds(),
                settings.maxReceiveCount());
        try (QueueRig rig = QueueRig.start(Path.of("target/function.zip"), work, settings, mapping, 2,
                // The outage delay scaled down with the queue (1 s, 2 s, 4 s …): minutes, not hours, to drain.
                Map.of("QUARKUS_LOG_CATEGORY__IO_SYNCFANOUT_LAMBDA__LEVEL", "ERROR", "SYNC_REDELIVERY_BACKOFF_MULTIPLIER", "2"), faults)) {
            Random random = new Random(SEED);
            Set<String> poison = new TreeSet<>();
            long start = System.nanoTime();
            long sent = 0;
            long clock = Updates.hlc(1_798_000_000_000L, 0);
            while (System.nanoTime() - start < length.toNanos()) {
                List<String> bodies = new ArrayList<>();
                List<Boolean> poisoned = new ArrayList<>();
                for (int i = 0; i < 10; i++, sent++) {
                    String user = "soak-" + random.nextInt(USERS);
                    boolean bad = sent % POISON_EVERY == POISON_EVERY - 1;
                    poisoned.add(bad);
                    bodies.add(bad ? "{\"user_id\":\"" + user + "\",\"type\":\"progress_update\",\"timestamp\":" + clock + sent + "}"
                            : random.nextInt(3) == 0 ? Updates.progress(user, "film-" + random.nextInt(5), clock + sent, random.nextInt(5_400))
                            : Updates.watchlist(user, "film-" + random.nextInt(20), random.nextInt(4) == 0 ? "Remove" : "Add", clock + sent));
                }
                List<String> ids = rig.send(bodies);
                for (int i = 0; i < ids.size(); i++) {
                    if (poisoned.get(i)) {
                        poison.add(ids.get(i));
                    }
                }
                long due = start + (long) (sent * 1e9 / rate);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                if (sent % (rate * 30L) < 10) {
                    out.printf("  %4d s  sent %,7d  invocations %,6d%n", (System.nanoTime() - start) / 1_000_000_000L, sent,
                            rig.mapping().invocations().size());
                }
            }
            out.printf("traffic over after %,d updates; waiting for the queue to drain …%n", sent);
            rig.awaitDrained(Duration.ofMinutes(10));

            Map<String, String> deadLetters = rig.deadLetters();
            Map<String, String> valid = new LinkedHashMap<>(rig.sent());
            poison.forEach(valid::remove);
            Device expected = Expected.from(valid);
            Device device = rig.device();
            int wrong = 0;
            for (int user = 0; user < USERS; user++) {
                if (!expected.state("soak-" + user).equals(device.state("soak-" + user))) {
                    wrong++;
                    out.println("  soak-" + user + ": expected " + expected.state("soak-" + user) + ", the device shows " + device.state("soak-" + user));
                }
            }
            long redelivered = rig.mapping().invocations().stream().flatMap(i -> i.receiveCounts().values().stream()).filter(n -> n > 1).count();
            out.printf("%,d updates, %,d invocations, %,d receives of a record already received, %,d duplicates dropped on the device, "
                    + "faults injected %s%n", sent, rig.mapping().invocations().size(), redelivered, device.duplicatesDropped().size(),
                    faults.injected());
            boolean dlqExact = deadLetters.keySet().equals(poison);
            out.printf("dead-letter queue: %d records, %s the %d poison records%n", deadLetters.size(), dlqExact ? "exactly" : "NOT exactly",
                    poison.size());
            if (!dlqExact) {
                Set<String> extra = new TreeSet<>(deadLetters.keySet());
                extra.removeAll(poison);
                out.println("  valid records dead-lettered: " + extra.stream().map(id -> id + " " + deadLetters.get(id)).toList());
            }
            out.printf("subscriber audit: %d of %d users' state differs from the producers' history%n", wrong, USERS);
            boolean passed = dlqExact && wrong == 0;
            out.println(passed ? "soak passed" : "soak FAILED");
            return passed;
        }
    }
}
