package io.syncfanout.pubnub;

/**
 * What PubNub did to one invocation's publishes, summed from their {@link PublishAttempts}: the
 * summary's {@code rate_limited}, {@code paused_ms} and {@code protocol}, and the circuit openings its
 * failures caused. Invocations that overlap share the pacing and the circuit (docs/operations.md), but
 * each counts only what its own attempts met, so the figures of all invocations add up to the instance's.
 *
 * @param rateLimitedAnswers 429 answers to its attempts
 * @param pausedMillis how much longer those 429s held publishing (a 429 within a pause adds only what outlasts it)
 * @param circuitOpened times one of its attempts' failures opened the circuit
 * @param http2Answers answers over HTTP/2
 * @param http1Answers answers over HTTP/1.x
 */
public record PubNubBehaviour(long rateLimitedAnswers, long pausedMillis, int circuitOpened, long http2Answers, long http1Answers) {

    public static final PubNubBehaviour NONE = new PubNubBehaviour(0, 0, 0, 0, 0);

    public PubNubBehaviour plus(PubNubBehaviour other) {
        return new PubNubBehaviour(rateLimitedAnswers + other.rateLimitedAnswers, pausedMillis + other.pausedMillis,
                circuitOpened + other.circuitOpened, http2Answers + other.http2Answers, http1Answers + other.http1Answers);
    }

    /** What the summary says: {@code h2}, {@code http/1.1}, {@code mixed}, or {@code none} without an answer. */
    public String protocol() {
        if (http2Answers == 0 && http1Answers == 0) {
            return "none";
        }
        return http1Answers == 0 ? "h2" : http2Answers == 0 ? "http/1.1" : "mixed";
    }
}
