package io.syncfanout.lambda;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.inject.Inject;

import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;

import io.quarkus.funqy.Funq;
import io.syncfanout.config.SyncConfig;
import io.syncfanout.fanout.DispatchResult;
import io.syncfanout.fanout.FailureKind;
import io.syncfanout.fanout.PublishDispatcher;
import io.syncfanout.plan.PublishPlan;
import io.syncfanout.plan.PublishPlanner;
import io.syncfanout.pubnub.Deadline;
import io.syncfanout.pubnub.PubNubBehaviour;
import io.syncfanout.pubnub.PublishCircuit;
import io.syncfanout.record.ReadResult;
import io.syncfanout.record.RecordReader;
import io.syncfanout.record.SqsRecord;
import io.syncfanout.sqs.Redeliveries;
import io.syncfanout.sqs.Redelivery;
import io.syncfanout.sqs.RedeliveryOutcome;

/**
 * The Lambda entry point: an SQS batch in, the records SQS must deliver again out
 * (<a href="https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html#services-sqs-batchfailurereporting">
 * partial batch responses</a>, {@code ReportBatchItemFailures}).
 */
public class SyncFanoutFunction {

    private static final Logger LOG = Logger.getLogger(SyncFanoutFunction.class);
    /** The summary's own category, written unformatted: see {@link SummaryLog}. */
    private static final Logger SUMMARY = Logger.getLogger(SummaryLog.CATEGORY);
    private static final String MESSAGE_GROUP_ID = "MessageGroupId";
    private static final String RECEIVE_COUNT = "ApproximateReceiveCount";
    private static final String RUNTIME_API = "AWS_LAMBDA_RUNTIME_API";
    private static final AtomicBoolean WARNED_NO_ATTEMPT_FITS = new AtomicBoolean();

    @Inject
    RecordReader reader;

    @Inject
    PublishPlanner planner;

    @Inject
    PublishDispatcher dispatcher;

    @Inject
    PublishCircuit circuit;

    @Inject
    Redeliveries redeliveries;

    @Inject
    SyncConfig config;

    @Funq("fanout")
    public SQSBatchResponse fanout(SQSEvent event) {
        long start = System.nanoTime();
        OptionalLong lambdaDeadline = LambdaDeadline.take();
        List<SqsRecord> records = records(event);
        // Publishing ends in time to park or delay what failed, and then to answer (amendment 20).
        Duration answerReserve = config.publish().answerReserve(records.size());
        Deadline deadline = LambdaDeadline.forInvocation(start, config.timeBudget(), lambdaDeadline,
                answerReserve.plus(config.redelivery().reserveFor(records.size())));
        boolean deadlineMissing = lambdaDeadline.isEmpty() && System.getenv(RUNTIME_API) != null;
        if (deadlineMissing) {
            // Amendment 17: the runtime handed over no deadline; only the time budget bounds this invocation.
            LOG.warnf("no Lambda deadline was read for this invocation: only sync.time-budget (%s) bounds it, so Lambda may "
                    + "stop the function before it answers. Use the handler %s (JVM build) or report the runtime.",
                    config.timeBudget(), RequestIdStreamHandler.class.getName() + "::handleRequest");
        }
        warnIfNoAttemptFits(deadline, records.size());
        // Overlapping invocations share the circuit and the pacing on purpose; the rest is their own.
        circuit.beginInvocation();
        try {
            Deadline redeliverBy = LambdaDeadline.forInvocation(start, config.timeBudget(), lambdaDeadline, answerReserve);
            return publish(event, records, deadline, redeliverBy, start, deadlineMissing);
        } finally {
            circuit.endInvocation();
        }
    }

    /** Reads, plans and publishes the batch, and answers with what SQS must deliver again. */
    private SQSBatchResponse publish(SQSEvent event, List<SqsRecord> records, Deadline deadline, Deadline redeliverBy, long start,
            boolean deadlineMissing) {
        List<ReadResult> read = new ArrayList<>(records.size());
        for (SqsRecord record : records) {
            read.add(reader.read(record));
        }
        PublishPlan plan = planner.plan(read);
        plan.invalid().forEach(invalid -> LOG.warnf("record %s rejected: %s", invalid.source().messageId(), invalid.reason()));

        DispatchResult result = dispatcher.dispatch(records, plan, deadline);

        Map<String, SqsRecord> failed = new LinkedHashMap<>();
        List<Redelivery> outageFailures = new ArrayList<>();
        for (SqsRecord record : result.ledger().failed()) {
            if (failed.putIfAbsent(record.messageId(), record) == null && result.ledger().failedForOutage(record)) {
                outageFailures.add(redelivery(event.getRecords().get(record.position())));
            }
        }
        RedeliveryOutcome redelivered = redeliveries.redeliver(outageFailures, redeliverBy.remaining());

        // Every record is acknowledged by PubNub, parked on its queue (accepted by SQS), or listed here.
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        Map<FailureKind, Integer> failedByKind = new EnumMap<>(FailureKind.class);
        for (SqsRecord record : failed.values()) {
            FailureKind kind = result.ledger().kind(record);
            failedByKind.merge(kind, 1, Integer::sum);
            if (!redelivered.parked().containsKey(record.messageId())) {
                failures.add(new SQSBatchResponse.BatchItemFailure(record.messageId()));
            }
            if (kind != FailureKind.INVALID) {
                String note = redelivered.note(record.messageId());
                LOG.warnf("record %s failed: %s%s", record.messageId(), result.ledger().reason(record), note == null ? "" : "; " + note);
            }
        }
        if (!redelivered.notDelayed().isEmpty()) {
            LOG.warnf("%d records that failed for an outage could not be parked or delayed (%s): SQS delivers them again after the "
                    + "queue's visibility timeout, and each such receive brings them closer to the dead-letter queue",
                    redelivered.notDelayed().size(), redelivered.notDelayed().values().iterator().next());
        }

        PubNubBehaviour pubnub = result.pubnub();
        InvocationSummary summary = new InvocationSummary(records.size(), plan.superseded(), plan.duplicates(), result.publishes(),
                result.retries(), result.bytes(), failedByKind, (System.nanoTime() - start) / 1_000_000, result.publishLatenciesMs(),
                pubnub.rateLimitedAnswers(), pubnub.pausedMillis(), pubnub.circuitOpened(), circuit.isOpen(), deadlineMissing,
                pubnub.protocol(), new InvocationSummary.Redelivered(redelivered.parked().size(), redelivered.delayed().size(),
                        redelivered.notDelayed().size(), redelivered.ended().size()));
        logSummary(summary);
        return new SQSBatchResponse(failures);
    }

    /**
     * Amendment 18: where a timeout leaves no room for even one attempt once the answer's time is kept,
     * nothing can ever be published; say so once, with the settings that change it.
     */
    private void warnIfNoAttemptFits(Deadline deadline, int records) {
        Duration floor = config.publish().minAttempt();
        if (!deadline.allows(floor) && WARNED_NO_ATTEMPT_FITS.compareAndSet(false, true)) {
            LOG.warnf("only %d ms are left to publish this batch of %d records once %d ms are kept to answer and %d ms to park "
                    + "what fails, less than the %d ms an attempt needs (sync.publish.min-attempt): nothing can be published. Raise the "
                    + "function timeout (or sync.time-budget), or lower sync.publish.deadline-margin, sync.publish.answer-micros-per-record "
                    + "or sync.redelivery.reserve", Math.max(0, deadline.remaining().toMillis()), records,
                    config.publish().answerReserve(records).toMillis(), config.redelivery().reserveFor(records).toMillis(), floor.toMillis());
        }
    }

    /**
     * One line, on its own log category so that it can be written raw: CloudWatch reads Embedded
     * Metric Format only from a log event that is the JSON document itself.
     */
    private void logSummary(InvocationSummary summary) {
        if (!config.metrics().enabled()) {
            SUMMARY.info(summary.text());
            return;
        }
        Object requestId = MDC.get(RequestIdStreamHandler.REQUEST_ID);
        String functionName = System.getenv().getOrDefault("AWS_LAMBDA_FUNCTION_NAME", "sync-fanout");
        SUMMARY.info(EmbeddedMetrics.document(summary, config.metrics().namespace(), functionName,
                requestId == null ? null : requestId.toString(), System.currentTimeMillis()));
    }

    /**
     * What parking or delaying a record needs of it, whatever its attributes hold: a receive count SQS
     * did not give counts as the first, park attributes that are not ours as never parked.
     */
    private static Redelivery redelivery(SQSEvent.SQSMessage message) {
        Map<String, String> attributes = message.getAttributes();
        int receiveCount = 1;
        try {
            receiveCount = Math.max(1, Integer.parseInt(attributes == null ? "1" : attributes.getOrDefault(RECEIVE_COUNT, "1")));
        } catch (NumberFormatException notANumber) {
            // the first receive's delay, the shortest
        }
        Map<String, SQSEvent.MessageAttribute> messageAttributes = message.getMessageAttributes();
        Redelivery.Park park = messageAttributes == null ? Redelivery.Park.NONE
                : Redelivery.Park.of(stringValue(messageAttributes.get(Redelivery.Park.COUNT_ATTRIBUTE)),
                        stringValue(messageAttributes.get(Redelivery.Park.SINCE_ATTRIBUTE)));
        return new Redelivery(message.getMessageId(), message.getReceiptHandle(), message.getEventSourceArn(), receiveCount,
                message.getBody(), park);
    }

    private static String stringValue(SQSEvent.MessageAttribute attribute) {
        return attribute == null ? null : attribute.getStringValue();
    }

    /**
     * The one way the whole invocation fails: an event that is not from SQS. Lambda then reports a
     * function error and nothing is acknowledged.
     */
    private static List<SqsRecord> records(SQSEvent event) {
        if (event == null || event.getRecords() == null) {
            throw new IllegalArgumentException("not an SQS event: no Records array");
        }
        List<SqsRecord> records = new ArrayList<>(event.getRecords().size());
        for (SQSEvent.SQSMessage message : event.getRecords()) {
            if (message == null || message.getMessageId() == null || message.getMessageId().isBlank()) {
                throw new IllegalArgumentException("not an SQS event: a record has no messageId");
            }
            if (message.getEventSource() != null && !message.getEventSource().equals("aws:sqs")) {
                throw new IllegalArgumentException("not an SQS event: eventSource is " + message.getEventSource());
            }
            // Fair queues (standard) carry MessageGroupId too: only a .fifo queue keeps groups in order
            // (amendment 11, https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-fair-queues.html).
            Map<String, String> attributes = message.getAttributes();
            boolean fifo = message.getEventSourceArn() != null && message.getEventSourceArn().endsWith(".fifo");
            String group = attributes == null || !fifo ? null : attributes.get(MESSAGE_GROUP_ID);
            records.add(new SqsRecord(records.size(), message.getMessageId(), group, message.getBody()));
        }
        return records;
    }
}
