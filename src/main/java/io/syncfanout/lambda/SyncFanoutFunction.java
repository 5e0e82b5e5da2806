package io.syncfanout.lambda;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
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
import io.syncfanout.sqs.Redelivery;
import io.syncfanout.sqs.RedeliveryDelays;

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
    RedeliveryDelays redeliveryDelays;

    @Inject
    SyncConfig config;

    @Funq("fanout")
    public SQSBatchResponse fanout(SQSEvent event) {
        long start = System.nanoTime();
        OptionalLong lambdaDeadline = LambdaDeadline.take();
        List<SqsRecord> records = records(event);
        Deadline deadline = LambdaDeadline.forInvocation(start, config.timeBudget(), lambdaDeadline,
                config.publish().answerReserve(records.size()));
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
            // What is left for delaying redeliveries once publishing is over: up to Lambda's own deadline,
            // less half the margin kept to answer.
            Deadline answerBy = LambdaDeadline.forInvocation(start, config.timeBudget(), lambdaDeadline,
                    config.publish().deadlineMargin().dividedBy(2));
            return publish(event, records, deadline, answerBy, start, deadlineMissing);
        } finally {
            circuit.endInvocation();
        }
    }

    /** Reads, plans and publishes the batch, and answers with what SQS must deliver again. */
    private SQSBatchResponse publish(SQSEvent event, List<SqsRecord> records, Deadline deadline, Deadline answerBy, long start,
            boolean deadlineMissing) {
        List<ReadResult> read = new ArrayList<>(records.size());
        for (SqsRecord record : records) {
            read.add(reader.read(record));
        }
        PublishPlan plan = planner.plan(read);
        plan.invalid().forEach(invalid -> LOG.warnf("record %s rejected: %s", invalid.source().messageId(), invalid.reason()));

        DispatchResult result = dispatcher.dispatch(records, plan, deadline);

        Set<String> failedIds = new LinkedHashSet<>();
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        Map<FailureKind, Integer> failedByKind = new EnumMap<>(FailureKind.class);
        List<Redelivery> outageFailures = new ArrayList<>();
        for (SqsRecord record : result.ledger().failed()) {
            FailureKind kind = result.ledger().kind(record);
            if (failedIds.add(record.messageId())) {
                failures.add(new SQSBatchResponse.BatchItemFailure(record.messageId()));
                failedByKind.merge(kind, 1, Integer::sum);
                if (kind.outage()) {
                    outageFailures.add(redelivery(event.getRecords().get(record.position())));
                }
            }
            if (kind != FailureKind.INVALID) {
                LOG.warnf("record %s failed: %s", record.messageId(), result.ledger().reason(record));
            }
        }
        int delayed = redeliveryDelays.delay(outageFailures, answerBy.remaining());

        PubNubBehaviour pubnub = result.pubnub();
        InvocationSummary summary = new InvocationSummary(records.size(), plan.superseded(), plan.duplicates(), result.publishes(),
                result.retries(), result.bytes(), failedByKind, (System.nanoTime() - start) / 1_000_000, result.publishLatenciesMs(),
                pubnub.rateLimitedAnswers(), pubnub.pausedMillis(), pubnub.circuitOpened(), circuit.isOpen(), deadlineMissing,
                pubnub.protocol(), delayed);
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
            LOG.warnf("only %d ms are left to publish this batch of %d records once %d ms are kept to answer, less than the "
                    + "%d ms an attempt needs (sync.publish.min-attempt): nothing can be published. Raise the function "
                    + "timeout (or sync.time-budget), or lower sync.publish.deadline-margin or sync.publish.answer-micros-per-record",
                    Math.max(0, deadline.remaining().toMillis()), records, config.publish().answerReserve(records).toMillis(),
                    floor.toMillis());
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

    /** What delaying a record's redelivery needs of it; a receive count SQS did not give counts as the first. */
    private static Redelivery redelivery(SQSEvent.SQSMessage message) {
        Map<String, String> attributes = message.getAttributes();
        int receiveCount = 1;
        try {
            receiveCount = Math.max(1, Integer.parseInt(attributes == null ? "1" : attributes.getOrDefault(RECEIVE_COUNT, "1")));
        } catch (NumberFormatException notANumber) {
            // the first receive's delay, the shortest
        }
        return new Redelivery(message.getMessageId(), message.getReceiptHandle(), message.getEventSourceArn(), receiveCount);
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
