package io.syncfanout.pubnub;

import java.time.Duration;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.syncfanout.config.SyncConfig;

/**
 * How fast the whole function publishes once PubNub has answered 429 (contract, amendment 2: slow
 * down, honouring {@code Retry-After}, for the whole function, not only the publish refused).
 * <ul>
 * <li>No publish starts, first attempt or retry, until {@code Retry-After} has passed.</li>
 * <li>The publishes allowed in flight halve on a 429 (once per pause) and grow back by one for every
 * window of acknowledgements: additive increase, multiplicative decrease, as TCP paces itself.</li>
 * </ul>
 * Shared by every invocation of the instance: a rate limit outlives the invocation that met it.
 */
@Singleton
public class PublishPacing {

    /** Kept between publishes when a 429 names no {@code Retry-After}. */
    private final long defaultPauseNanos;
    /** No {@code Retry-After} holds publishing longer (amendment 13). */
    private final long maxPauseNanos;
    private final int maxInFlight;
    private double allowedInFlight;
    private int acknowledgedInWindow;
    private long pausedUntilNanos = System.nanoTime();
    private long rateLimitedAnswers;
    private long pausedNanos;

    @Inject
    public PublishPacing(SyncConfig config) {
        this(config.publish().concurrency(), Duration.ofMillis(config.publish().retryDelayMs()), config.publish().maxRateLimitPause());
    }

    public PublishPacing(int maxInFlight, Duration defaultPause, Duration maxPause) {
        this.maxInFlight = maxInFlight;
        this.allowedInFlight = maxInFlight;
        this.defaultPauseNanos = defaultPause.toNanos();
        this.maxPauseNanos = maxPause.toNanos();
    }

    /**
     * A 429: hold every publish for {@code retryAfterMillis} (or the default pause), at most
     * {@code sync.publish.max-rate-limit-pause}, and halve the window, once per pause: the publishes
     * refused together are one signal, not many.
     *
     * @return how much longer publishing is now held: a 429 within a pause adds only what outlasts it
     */
    public synchronized long rateLimited(long retryAfterMillis) {
        rateLimitedAnswers++;
        long now = System.nanoTime();
        boolean alreadyHeld = pausedUntilNanos - now > 0;
        long until = now + pauseNanos(retryAfterMillis);
        long heldFrom = alreadyHeld ? pausedUntilNanos : now;
        long added = Math.max(0, until - heldFrom);
        if (added > 0) {
            pausedNanos += added;
            pausedUntilNanos = until;
        }
        if (!alreadyHeld) {
            allowedInFlight = Math.max(1, allowedInFlight / 2);
            acknowledgedInWindow = 0;
        }
        return added;
    }

    /** What a {@code Retry-After} holds publishing for: within the cap, whatever the value (no overflow). */
    long pauseNanos(long retryAfterMillis) {
        if (retryAfterMillis <= 0) {
            return Math.min(defaultPauseNanos, maxPauseNanos);
        }
        return retryAfterMillis >= maxPauseNanos / 1_000_000 ? maxPauseNanos : retryAfterMillis * 1_000_000;
    }

    /** An acknowledgement: one more publish in flight for every window's worth of them. */
    public synchronized void acknowledged() {
        if (allowedInFlight < maxInFlight && ++acknowledgedInWindow >= allowedInFlight) {
            allowedInFlight = Math.min(maxInFlight, allowedInFlight + 1);
            acknowledgedInWindow = 0;
        }
    }

    /**
     * After a SnapStart restore: a 429 met before the snapshot says nothing of PubNub now, so the
     * function publishes at full speed until PubNub asks it to slow down.
     */
    public synchronized void restart() {
        allowedInFlight = maxInFlight;
        acknowledgedInWindow = 0;
        pausedUntilNanos = System.nanoTime();
    }

    /** How many publishes may be in flight now. */
    public synchronized int allowedInFlight() {
        return (int) allowedInFlight;
    }

    /** How long publishing is still held by a 429; zero when it is not. */
    public synchronized Duration pause() {
        long left = pausedUntilNanos - System.nanoTime();
        return left > 0 ? Duration.ofNanos(left) : Duration.ZERO;
    }

    /** Totals since the instance started (each invocation's own share is in its {@link PublishAttempts}). */
    public synchronized Totals totals() {
        return new Totals(rateLimitedAnswers, pausedNanos / 1_000_000);
    }

    /**
     * @param rateLimitedAnswers 429 answers
     * @param pausedMillis time publishing was held for them
     */
    public record Totals(long rateLimitedAnswers, long pausedMillis) {
    }
}
