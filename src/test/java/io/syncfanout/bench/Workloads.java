package io.syncfanout.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import io.syncfanout.testing.SqsEvents;
import io.syncfanout.testing.Updates;

/** The benchmark's workloads, as SQS events shaped as Lambda delivers them. */
final class Workloads {

    private static final long T0 = 1_764_237_600_000L;

    private Workloads() {
    }

    /** W1, burst: 1,000 users, each 7 progress updates over 2 titles and 3 watchlist changes. */
    static List<String> burst(Random random) {
        return burst(random, 1_000);
    }

    /** W1's shape for any number of users: 10 updates each, so 10 records a user. */
    static List<String> burst(Random random, int users) {
        List<String> bodies = new ArrayList<>();
        for (int u = 0; u < users; u++) {
            for (int i = 0; i < 7; i++) {
                bodies.add(Updates.progress("viewer-" + u, "title-" + (i % 2), Updates.hlc(T0 + i * 1_000L, u % 100), i * 30L));
            }
            for (int i = 0; i < 3; i++) {
                bodies.add(Updates.watchlist("viewer-" + u, "show-" + i, i == 2 ? "Remove" : "Add", Updates.hlc(T0 + 10_000L + i, u % 100)));
            }
        }
        Collections.shuffle(bodies, random);
        return bodies;
    }

    /** W2, spread: 10,000 users, one update each: nothing to batch. */
    static List<String> spread() {
        return spread(10_000);
    }

    /** W2's shape for any number of users: one record each. */
    static List<String> spread(int users) {
        List<String> bodies = new ArrayList<>();
        for (int u = 0; u < users; u++) {
            bodies.add(Updates.watchlist("solo-" + u, "show", "Add", Updates.hlc(T0, 1)));
        }
        return bodies;
    }

    /** W3, small batches: 10 records (the default and FIFO batch size) for users among 1,000. */
    static List<String> small(Random random) {
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            int u = random.nextInt(1_000);
            bodies.add(random.nextBoolean() ? Updates.progress("viewer-" + u, "title-0", Updates.hlc(T0 + i, 0), i)
                    : Updates.watchlist("viewer-" + u, "show-" + i, "Add", Updates.hlc(T0 + i, 0)));
        }
        return bodies;
    }

    static String event(List<String> bodies) {
        SqsEvents event = SqsEvents.standard();
        bodies.forEach(event::add);
        return event.json();
    }
}
