package io.syncfanout.fanout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.Uni;
import io.syncfanout.plan.BatchPacker;
import io.syncfanout.plan.PublishPlan;
import io.syncfanout.plan.PublishPlanner;
import io.syncfanout.pubnub.Deadline;
import io.syncfanout.pubnub.PublishAck;
import io.syncfanout.pubnub.PublishPacing;
import io.syncfanout.pubnub.Publisher;
import io.syncfanout.record.ReadResult;
import io.syncfanout.record.RecordReader;
import io.syncfanout.record.SqsRecord;
import io.syncfanout.testing.Updates;

/** The dispatcher's timing rules, against a PubNub that answers exactly when a test says. */
class PublishDispatcherTest {

    private final ScheduledExecutorService pubnub = Executors.newScheduledThreadPool(2);
    private final BatchPacker packer = new BatchPacker(50, 32_768, Clock.systemUTC());
    private final PublishPacing pacing = new PublishPacing(32, Duration.ofMillis(100), Duration.ofSeconds(10));
    private final List<Long> startedAtMillis = new ArrayList<>();

    @AfterEach
    void stop() {
        pubnub.shutdownNow();
    }

    /** Acknowledges every publish at {@code nanoTime}, or {@code latency} after it starts if that is later. */
    private Publisher answering(long nanoTime, Duration latency) {
        long origin = System.nanoTime();
        return (channel, body, deadline, attempts) -> {
            attempts.incrementAndGet();
            long now = System.nanoTime();
            synchronized (startedAtMillis) {
                startedAtMillis.add((now - origin) / 1_000_000);
            }
            long delay = Math.max(nanoTime - now, latency.toNanos());
            return Uni.createFrom().emitter(emitter -> pubnub.schedule(() -> emitter.complete(new PublishAck("1")),
                    delay, TimeUnit.NANOSECONDS));
        };
    }

    /** One update for each of {@code users} users, read and planned. */
    private record Batch(List<SqsRecord> records, PublishPlan plan) {
    }

    private Batch batch(int users) {
        List<SqsRecord> records = new ArrayList<>();
        List<ReadResult> read = new ArrayList<>();
        for (int u = 0; u < users; u++) {
            SqsRecord record = new SqsRecord(u, "m" + u, null, Updates.watchlist("u" + u, "film", "Add", u + 1));
            records.add(record);
            read.add(new RecordReader().read(record));
        }
        return new Batch(records, new PublishPlanner(packer, true).plan(read));
    }

    private DispatchResult dispatch(Publisher publisher, Batch batch, Deadline deadline) {
        return dispatch(publisher, batch, deadline, Duration.ofMillis(200));
    }

    private DispatchResult dispatch(Publisher publisher, Batch batch, Deadline deadline, Duration attemptTimeout) {
        return dispatch(publisher, batch, deadline, attemptTimeout, Duration.ofMillis(150));
    }

    private DispatchResult dispatch(Publisher publisher, Batch batch, Deadline deadline, Duration attemptTimeout, Duration grace) {
        return dispatch(publisher, batch, deadline, attemptTimeout, grace, 32);
    }

    private DispatchResult dispatch(Publisher publisher, Batch batch, Deadline deadline, Duration attemptTimeout, Duration grace,
            int concurrency) {
        PublishDispatcher dispatcher = new PublishDispatcher(publisher, packer, pacing, concurrency, 50, attemptTimeout,
                Duration.ofMillis(100), grace, false);
        return dispatcher.dispatch(batch.records(), batch.plan(), deadline);
    }

    /** One FIFO group whose records alternate between two users' channels. */
    private Batch fifoBatch(int records) {
        List<SqsRecord> all = new ArrayList<>();
        List<ReadResult> read = new ArrayList<>();
        for (int i = 0; i < records; i++) {
            SqsRecord record = new SqsRecord(i, "m" + i, "household", Updates.watchlist("u" + (i % 2), "film" + i, "Add", i + 1));
            all.add(record);
            read.add(new RecordReader().read(record));
        }
        return new Batch(all, new PublishPlanner(packer, true).plan(read));
    }

    private static String reasons(DispatchResult result) {
        return result.ledger().failed().stream().map(r -> r.messageId() + ": " + result.ledger().kind(r) + " " + result.ledger().reason(r))
                .toList().toString();
    }

    /** Amendment 18: less time left than a whole attempt timeout still publishes, with the attempt cut short. */
    @Test
    void aDeadlineShorterThanTheAttemptTimeoutStillPublishes() {
        Batch batch = batch(6);

        DispatchResult result = dispatch(answering(0, Duration.ofMillis(20)), batch, deadlineIn(Duration.ofMillis(600)),
                Duration.ofMillis(3_700));

        assertEquals(List.of(), result.ledger().failed(), () -> reasons(result));
        assertEquals(6, result.publishes());
    }

    /** Amendment 13: a pause that outlasts the deadline ends publishing at once; nothing waits for it. */
    @Test
    void aRateLimitPausePastTheDeadlineEndsPublishingAtOnce() {
        Batch batch = batch(4);
        pacing.rateLimited(8_000);
        long start = System.nanoTime();

        DispatchResult result = dispatch(answering(0, Duration.ofMillis(10)), batch, deadlineIn(Duration.ofSeconds(5)));

        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(0, startedAtMillis.size(), "nothing is published into the pause");
        assertEquals(4, result.ledger().failed().size());
        result.ledger().failed().forEach(record -> assertEquals(FailureKind.OUT_OF_TIME, result.ledger().kind(record)));
        assertTrue(millis < 2_500, "answered without waiting for the deadline 5 s away: " + millis + " ms");
    }

    /** Records of a FIFO group left behind at the deadline are out of time too, not behind a failure. */
    @Test
    void aFifoGroupCutOffByTheDeadlineIsReportedOutOfTime() {
        Batch batch = fifoBatch(4);

        DispatchResult result = dispatch(answering(0, Duration.ofMillis(10)), batch, deadlineIn(Duration.ofMillis(50)));

        assertEquals(4, result.ledger().failed().size(), () -> reasons(result));
        result.ledger().failed().forEach(record -> assertEquals(FailureKind.OUT_OF_TIME, result.ledger().kind(record), () -> reasons(result)));
    }

    /**
     * Every slot still busy when the deadline passes, answered in the grace: the channels that never
     * started ran out of time. On a standard queue nothing waits behind a failure.
     */
    @Test
    void channelsNeverStartedBecauseEverySlotWasBusyAtTheDeadlineAreOutOfTime() {
        Batch batch = batch(6);
        // Long enough for a cold JVM on a loaded machine to start both publishes well before it.
        Deadline deadline = deadlineIn(Duration.ofMillis(1_500));

        DispatchResult result = dispatch(answering(deadline.atNanos() + Duration.ofMillis(30).toNanos(), Duration.ZERO), batch,
                deadline, Duration.ofMillis(200), Duration.ofSeconds(1), 2);

        assertEquals(2, result.publishes(), () -> reasons(result));
        assertEquals(4, result.ledger().failed().size(), () -> reasons(result));
        result.ledger().failed().forEach(record -> assertEquals(FailureKind.OUT_OF_TIME, result.ledger().kind(record), () -> reasons(result)));
        assertTrue(reasons(result).contains("not attempted: the test's deadline ran out"), () -> reasons(result));
    }

    /**
     * Section 4 allows a record PubNub has to be reported failed only when its answer was lost. When a later
     * attempt then fails for another reason, the reason says so: the record may be delivered already.
     */
    @Test
    void aPublishWhoseEarlierAttemptWentUnansweredSaysPubNubMayHaveIt() {
        Batch batch = batch(1);
        Publisher lostThenRefused = (channel, body, deadline, attempts) -> {
            attempts.incrementAndGet();
            attempts.unanswered("connection error: HttpClosedException: Connection was closed");
            attempts.incrementAndGet();
            return Uni.createFrom().failure(new io.syncfanout.pubnub.PublishFailure.Rejected(400, "HTTP 400: Invalid JSON"));
        };

        DispatchResult result = dispatch(lostThenRefused, batch, deadlineIn(Duration.ofSeconds(5)));

        assertEquals(1, result.ledger().failed().size());
        assertEquals("publish to user.u0.sync failed after 2 attempts: HTTP 400: Invalid JSON; an earlier attempt went unanswered "
                + "(connection error: HttpClosedException: Connection was closed), so PubNub may have it",
                result.ledger().reason(result.ledger().failed().get(0)));
    }

    private static Deadline deadlineIn(Duration duration) {
        return new Deadline(System.nanoTime() + duration.toNanos(), "the test's deadline");
    }

    @Test
    void anAnswerThatArrivesJustAfterTheDeadlineIsStillCountedDelivered() {
        // Amendment 10: every attempt was due to end by the deadline; an answer still on its way then
        // is awaited for the grace, not reported failed.
        Batch batch = batch(5);
        Deadline deadline = deadlineIn(Duration.ofMillis(800));

        // A grace of 1 s, so that a loaded machine's pauses cannot push the answer 50 ms past the deadline out of it.
        DispatchResult result = dispatch(answering(deadline.atNanos() + Duration.ofMillis(50).toNanos(), Duration.ZERO), batch, deadline,
                Duration.ofMillis(200), Duration.ofSeconds(1));

        assertEquals(List.of(), result.ledger().failed(),
                () -> "reported failed: " + result.ledger().failed().stream().map(r -> result.ledger().reason(r)).toList());
        assertEquals(5, result.publishes());
    }

    @Test
    void anAnswerThatNeverComesIsReportedOutOfTimeOnceTheGraceIsOver() {
        Batch batch = batch(3);
        Deadline deadline = deadlineIn(Duration.ofMillis(800));
        long start = System.nanoTime();

        DispatchResult result = dispatch(answering(0, Duration.ofSeconds(10)), batch, deadline);

        long millis = (System.nanoTime() - start) / 1_000_000;
        // It waited the grace out, and then stopped waiting (the answers were 10 s away): generous bounds,
        // since a loaded machine stretches every wait; the benchmarks keep the tight timing.
        assertTrue(millis >= 800 + 150 && millis < 800 + 150 + 2_000, "gave up once the grace was over: " + millis + " ms");
        assertEquals(3, result.ledger().failed().size());
        result.ledger().failed().forEach(record -> assertEquals(FailureKind.OUT_OF_TIME, result.ledger().kind(record)));
        assertTrue(result.ledger().reason(result.ledger().failed().get(0)).contains("had no answer before the test's deadline ran out"));
    }

    @Test
    void whileA429HoldsTheFunctionNoPublishStarts() {
        Batch batch = batch(4);
        pacing.rateLimited(400);

        DispatchResult result = dispatch(answering(0, Duration.ofMillis(10)), batch, deadlineIn(Duration.ofSeconds(5)));

        assertEquals(List.of(), result.ledger().failed());
        assertEquals(4, startedAtMillis.size());
        assertTrue(startedAtMillis.stream().allMatch(t -> t >= 390), "every publish waited out the pause: " + startedAtMillis);
        assertEquals(16, pacing.allowedInFlight(), "and the window halved");
    }
}
