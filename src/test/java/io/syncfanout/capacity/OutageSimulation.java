package io.syncfanout.capacity;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Comparator;
import java.util.PriorityQueue;

/**
 * PubNub down for a while in steady traffic, played against SQS's rules for records that fail: each
 * receive counts, the redrive policy's {@code maxReceiveCount} moves a record to the dead-letter queue, no
 * message is handed out while about 120,000 are in flight, and a message older than the retention is
 * deleted. What the function does with an outage's records is one of two designs: the last change's
 * delays in place ({@code ChangeMessageVisibility}, the message stays in flight) or this one's parks (a new
 * message with {@code DelaySeconds}, not in flight, its receives starting afresh).
 *
 * <p>A fluid of cohorts, a second at a time, nothing random. Simplifications, each on the optimistic side
 * for both designs alike: the mapping runs at {@code maximum_concurrency} throughout (Lambda's scaling is
 * {@link Simulation}'s subject), nothing is throttled, every park or delay call succeeds, and SQS hands
 * out visible messages oldest-visible first.
 */
public final class OutageSimulation {

    /** "Amazon SQS standard queue quotas": about 120,000 in-flight messages a queue. */
    static final double IN_FLIGHT_QUOTA = 120_000;
    /** SQS allows a visibility timeout up to 12 hours from the receive; the last change kept 5 minutes back. */
    static final double IN_PLACE_CAP_SECONDS = 12 * 3600 - 300;
    /** SQS's {@code DelaySeconds} is at most 900. */
    static final double DELAY_SECONDS_CAP = 900;
    /** ReceiveMessage, DeleteMessageBatch, SendMessageBatch and ChangeMessageVisibilityBatch take 10 a call. */
    static final double PER_CALL = 10;
    /** How long after recovery the run keeps going before it gives up on a drain. */
    static final double AFTER_RECOVERY_LIMIT = 24 * 3600;
    static final double TICK = 1;

    /** What the function does with a record that failed for an outage. */
    public enum Design {
        IN_PLACE("delays in place (the last change)"),
        PARKED("parked on the queue (this change)");

        final String label;

        Design(String label) {
            this.label = label;
        }
    }

    /**
     * The deployment.
     *
     * @param healthyInvocationSeconds a batch's invocation while PubNub answers
     * @param outageInvocationSeconds a batch's invocation while PubNub answers 5xx (failing fast, then parking or delaying)
     * @param hangInvocationSeconds a batch's invocation while PubNub answers nothing: the function timeout
     * @param hangDelayedShare of a hanging invocation's failed records, the share parked or delayed in the time left
     */
    public record Settings(Design design, double maximumConcurrency, int batchSize, double visibilitySeconds, int maxReceiveCount,
            double retentionSeconds, double baseSeconds, double multiplier, double maxDelaySeconds, double parkLimitSeconds,
            double inFlightQuota, double memoryGb, double healthyInvocationSeconds, double outageInvocationSeconds,
            double hangInvocationSeconds, double hangDelayedShare) {

        /**
         * infra/'s defaults (batch 1,000, maximum_concurrency 100, visibility 200 s, 5 receives, 4 days' retention)
         * for the measured instance, and each design's own delays: the last change's 60 s x 6 up to 11 h in
         * place; this one's 60 s x 6 up to 15 minutes, parked for up to 6 hours. While PubNub is down an
         * invocation takes at most a healthy one's time (failing fast takes less than publishing), plus its
         * SQS calls at 15 ms each: the last change's 100 one after another (1.5 s), this one's 16 at once
         * (0.35 s for 1,000 records, RedeliveriesTest's rig). While PubNub hangs, an invocation runs to its
         * 30 s timeout; the last change then had about 185 ms for its calls, 12 of 10 records at 15 ms (12%),
         * where this one keeps the time its calls need (all of them).
         */
        public static Settings infraDefaults(Design design, InstanceCapacity instance) {
            int batch = TriggerSettings.moduleDefaults().batchSize();
            double healthy = instance.invocationSeconds(batch, batch);
            boolean parked = design == Design.PARKED;
            return new Settings(design, TriggerSettings.moduleDefaults().maximumConcurrency(), batch, 200, 5, 345_600, 60, 6,
                    parked ? 900 : IN_PLACE_CAP_SECONDS, 6 * 3600, IN_FLIGHT_QUOTA, instance.memoryMb() / 1024.0, healthy,
                    healthy + (parked ? 0.35 : 1.5), TriggerSettings.moduleDefaults().timeoutSeconds(), parked ? 1 : 0.12);
        }
    }

    /**
     * Steady traffic at {@code rate} updates a second, PubNub down from {@code startSeconds} for {@code lengthSeconds}:
     * answering 5xx (the circuit opens, invocations fail fast) or, with {@code hang}, nothing at all.
     */
    public record Outage(double rate, double startSeconds, double lengthSeconds, boolean hang) {

        public Outage(double rate, double startSeconds, double lengthSeconds) {
            this(rate, startSeconds, lengthSeconds, false);
        }

        double recoveredAt() {
            return startSeconds + lengthSeconds;
        }
    }

    /**
     * What came of it.
     *
     * @param deadLettered valid updates moved to the dead-letter queue
     * @param expired updates SQS deleted at the end of their retention, neither delivered nor dead-lettered
     * @param drainedAfterRecovery seconds from recovery until every update sent before it was delivered or dead-lettered (NaN: not within a day)
     * @param waitAfterRecovery seconds an update sent the moment PubNub recovered waited for its delivery (NaN: not within a day)
     * @param peakInFlight the most messages in flight at once
     * @param stalledSeconds seconds in which SQS handed out nothing because of the in-flight quota while messages were visible
     * @param sqsRequests the mapping's and the function's SQS requests from the outage's start to the drain
     * @param lambdaGbSeconds invocations' GB-seconds over the same stretch
     */
    public record Result(Settings settings, Outage outage, double deadLettered, double expired, double drainedAfterRecovery,
            double waitAfterRecovery, double peakInFlight, double stalledSeconds, double sqsRequests, double lambdaGbSeconds) {

        public double sqsDollars() {
            return sqsRequests * Prices.SQS_REQUEST_STANDARD;
        }

        public double lambdaDollars() {
            return lambdaGbSeconds * Prices.LAMBDA_GB_SECOND_X86;
        }
    }

    /** Updates that travel together: sent at one time, received as many times, parked as many times. */
    private static final class Cohort {
        double amount;
        final double sentAt; // the producer's send: for "sent before recovery"
        final double enqueuedAt; // this message's: the retention counts from it (a park is a new message)
        final int receives;
        final int parks;
        final double firstParkAt;
        final boolean marker; // the update sent the moment PubNub recovered
        double visibleAt;
        boolean inFlight;
        /** Received (and so gone from where it waited), or deleted by the retention. */
        boolean gone;

        Cohort(double amount, double sentAt, double enqueuedAt, int receives, int parks, double firstParkAt, boolean marker) {
            this.amount = amount;
            this.sentAt = sentAt;
            this.enqueuedAt = enqueuedAt;
            this.receives = receives;
            this.parks = parks;
            this.firstParkAt = firstParkAt;
            this.marker = marker;
        }

        Cohort split(double taken) {
            Cohort part = new Cohort(taken, sentAt, enqueuedAt, receives, parks, firstParkAt, marker);
            amount -= taken;
            return part;
        }
    }

    private final Settings settings;
    private final Outage outage;

    public OutageSimulation(Settings settings, Outage outage) {
        this.settings = settings;
        this.outage = outage;
    }

    public Result run() {
        ArrayDeque<Cohort> visible = new ArrayDeque<>();
        PriorityQueue<Cohort> away = new PriorityQueue<>(Comparator.comparingDouble(c -> c.visibleAt));
        // Every message on the queue by its own send, for the retention.
        PriorityQueue<Cohort> byAge = new PriorityQueue<>(Comparator.comparingDouble(c -> c.enqueuedAt));
        double visibleAmount = 0;
        double heldInFlight = 0; // failed records waiting out a visibility timeout or an in-place delay
        double beforeRecovery = 0; // updates sent before recovery still on the queue
        double deadLettered = 0;
        double expired = 0;
        double drained = Double.NaN;
        double waited = Double.NaN;
        double peakInFlight = 0;
        double stalled = 0;
        double requests = 0;
        double gbSeconds = 0;
        double recovery = outage.recoveredAt();
        for (double t = 0; t <= recovery + AFTER_RECOVERY_LIMIT; t += TICK) {
            boolean down = t >= outage.startSeconds() && t < recovery;
            boolean markerTick = t == Math.ceil(recovery / TICK) * TICK;
            double arriving = outage.rate() * TICK;
            Cohort fresh = new Cohort(arriving, t, t, 0, 0, Double.NaN, markerTick);
            visible.addLast(fresh);
            byAge.add(fresh);
            visibleAmount += arriving;
            if (t < recovery) {
                beforeRecovery += arriving;
            }
            while (!away.isEmpty() && away.peek().visibleAt <= t) {
                Cohort back = away.poll();
                if (back.gone) {
                    continue;
                }
                if (back.inFlight) {
                    heldInFlight -= back.amount;
                    back.inFlight = false;
                }
                visible.addLast(back);
                visibleAmount += back.amount;
            }
            // SQS deletes a message at the end of its retention, in flight or not.
            while (!byAge.isEmpty() && t - byAge.peek().enqueuedAt >= settings.retentionSeconds()) {
                Cohort old = byAge.poll();
                if (old.gone || old.amount <= 0) {
                    continue;
                }
                old.gone = true;
                expired += old.amount;
                if (old.sentAt < recovery) {
                    beforeRecovery -= old.amount;
                }
                if (old.inFlight) {
                    heldInFlight -= old.amount;
                } else if (old.visibleAt <= t) {
                    visibleAmount -= old.amount;
                }
            }

            double invocation = !down ? settings.healthyInvocationSeconds()
                    : outage.hang() ? settings.hangInvocationSeconds() : settings.outageInvocationSeconds();
            double capacity = settings.maximumConcurrency() * settings.batchSize() / invocation * TICK;
            // Little's law: what the running invocations hold in flight is what they take a second times how long they run.
            double quotaLeft = Math.max(0, settings.inFlightQuota() - heldInFlight) / invocation * TICK;
            double take = Math.min(visibleAmount, Math.min(capacity, quotaLeft));
            if (visibleAmount > 1e-9 && quotaLeft < Math.min(visibleAmount, capacity) - 1e-9) {
                stalled += TICK;
            }
            peakInFlight = Math.max(peakInFlight, heldInFlight + take / TICK * invocation);
            requests += take / PER_CALL; // ReceiveMessage
            gbSeconds += take / settings.batchSize() * invocation * settings.memoryGb();
            visibleAmount -= take;
            while (take > 1e-9 && !visible.isEmpty()) {
                Cohort head = visible.peekFirst();
                if (head.gone) {
                    visible.pollFirst();
                    continue;
                }
                Cohort got;
                if (head.amount <= take + 1e-9) {
                    got = visible.pollFirst();
                    got.gone = true;
                } else {
                    got = head.split(take);
                }
                take -= got.amount;
                int receives = got.receives + 1;
                if (receives > settings.maxReceiveCount()) {
                    // The redrive policy: received more than maxReceiveCount times, it goes to the dead-letter queue.
                    deadLettered += got.amount;
                } else if (!down) {
                    requests += got.amount / PER_CALL; // DeleteMessageBatch
                    if (got.marker && Double.isNaN(waited)) {
                        waited = t + invocation - recovery;
                    }
                } else {
                    // While PubNub hangs, only a share may be parked or delayed in the time left; the rest is listed.
                    double share = outage.hang() ? settings.hangDelayedShare() : 1;
                    List<Cohort> next = new ArrayList<>(2);
                    if (share < 1) {
                        next.add(listed(got.split(got.amount * (1 - share)), receives, t, invocation));
                    }
                    next.add(failed(got, receives, t, invocation));
                    for (Cohort c : next) {
                        requests += c.amount / PER_CALL * (c.inFlight ? 1 : 2); // the delay; or the send and the original's delete
                        if (c.inFlight) {
                            heldInFlight += c.amount;
                        }
                        away.add(c);
                        byAge.add(c);
                    }
                    continue;
                }
                if (got.sentAt < recovery) {
                    beforeRecovery -= got.amount;
                }
            }
            if (t >= recovery && Double.isNaN(drained) && beforeRecovery < 0.5) {
                drained = t - recovery;
            }
            if (!Double.isNaN(drained) && !Double.isNaN(waited)) {
                break;
            }
        }
        return new Result(settings, outage, deadLettered, expired, drained, waited, peakInFlight, stalled, requests, gbSeconds);
    }

    /** Where a record that failed for the outage at its {@code receives}-th receive goes next. */
    private Cohort failed(Cohort got, int receives, double t, double invocation) {
        if (settings.design() == Design.IN_PLACE) {
            Cohort delayed = new Cohort(got.amount, got.sentAt, got.enqueuedAt, receives, 0, Double.NaN, got.marker);
            delayed.visibleAt = t + invocation + delay(receives - 1, settings.maxDelaySeconds());
            delayed.inFlight = true;
            return delayed;
        }
        if (got.parks > 0 && t - got.firstParkAt >= settings.parkLimitSeconds()) {
            return listed(got, receives, t, invocation); // past the park limit
        }
        Cohort parked = new Cohort(got.amount, got.sentAt, t, 0, got.parks + 1, got.parks == 0 ? t : got.firstParkAt, got.marker);
        parked.visibleAt = t + invocation + delay(got.parks, Math.min(settings.maxDelaySeconds(), DELAY_SECONDS_CAP));
        return parked;
    }

    /** In batchItemFailures: back after the visibility timeout, in flight meanwhile. */
    private Cohort listed(Cohort got, int receives, double t, double invocation) {
        Cohort listed = new Cohort(got.amount, got.sentAt, got.enqueuedAt, receives, got.parks, got.firstParkAt, got.marker);
        listed.visibleAt = t + invocation + settings.visibilitySeconds();
        listed.inFlight = true;
        return listed;
    }

    /** base x multiplier^failuresBefore, at most {@code cap}. */
    private double delay(int failuresBefore, double cap) {
        return Math.min(cap, settings.baseSeconds() * Math.pow(settings.multiplier(), failuresBefore));
    }
}
