package io.syncfanout.capacity;

import java.util.Arrays;

/**
 * What reaches the queue: updates per second for each second of the curve, and who sends them. One user's
 * updates come at {@link #userRate()} while they are active; the busiest user, whose channel is the one
 * PubNub's per-channel guidance is about, at {@code busiestUserRate}.
 *
 * @param perSecond updates arriving in each second, from second 0
 * @param users distinct users in the curve (FIFO: one message group each)
 * @param updatesPerUser how many updates one user sends in the curve
 * @param userSpanSeconds over how many seconds one user's updates arrive
 * @param messageBytes one update's size as published
 * @param busiestUserRate updates per second of the busiest user
 */
public record Load(String name, double[] perSecond, long users, double updatesPerUser, double userSpanSeconds, int messageBytes,
        double busiestUserRate) {

    /** An update's size as the benchmark's workloads send them (samples/burst-5000.json: 217 bytes on average). */
    public static final int UPDATE_BYTES = 250;

    public Load {
        if (updatesPerUser < 1 || userSpanSeconds <= 0 || messageBytes <= 0 || busiestUserRate < 0) {
            throw new IllegalArgumentException("updates per user ≥ 1, span > 0, size > 0, busiest rate ≥ 0");
        }
    }

    /** Updates per second arriving at time {@code t}; none after the curve. */
    public double rateAt(double t) {
        int second = (int) Math.floor(t);
        return second >= 0 && second < perSecond.length ? perSecond[second] : 0;
    }

    /** A user's updates per second while they are active. */
    public double userRate() {
        return updatesPerUser / userSpanSeconds;
    }

    /** Whether the curve is one rate throughout. */
    public boolean isSteady() {
        return Arrays.stream(perSecond).distinct().count() == 1;
    }

    public double totalUpdates() {
        return Arrays.stream(perSecond).sum();
    }

    /**
     * A steady load: {@code rate} updates a second for {@code seconds}, from viewers sending a progress
     * update every 10 s (the players' heartbeat) and a watchlist change now and then: 10 updates a user in
     * 100 s; the busiest scrubs through a title, 5 updates a second.
     */
    public static Load steady(double rate, int seconds) {
        double[] curve = new double[seconds];
        Arrays.fill(curve, rate);
        double span = 100;
        long users = Math.max(1, Math.round(rate * span / 10));
        return new Load(String.format(java.util.Locale.ROOT, "steady %,.0f/s", rate), curve, users, 10, span, UPDATE_BYTES, 5.0);
    }

    /**
     * The season finale: a {@code baseline} of updates a second for a minute, then {@code burst} more updates
     * in 60 s on top of it, then the baseline for another {@code after} seconds. The burst's viewers each
     * send 4 updates within those 60 s (their last positions and a watchlist change); the busiest scrubs
     * through the credits, 5 updates a second.
     */
    public static Load finale(double baseline, double burst, int after) {
        double[] curve = new double[60 + 60 + after];
        Arrays.fill(curve, baseline);
        for (int s = 60; s < 120; s++) {
            curve[s] += burst / 60;
        }
        return new Load("finale", curve, Math.round(burst / 4), 4, 60, UPDATE_BYTES, 5.0);
    }
}
