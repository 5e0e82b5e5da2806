package io.syncfanout.queue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.syncfanout.subscriber.Delivered;
import io.syncfanout.subscriber.Device;
import io.syncfanout.testing.FaultInjector;
import io.syncfanout.testing.PubNubStandIn;


/**
 * Everything between a producer and a device, on loopback: the PubNub stand-in over TLS, the local
 * queue with its dead-letter queue, the packaged function in one or more environments, and the event
 * source mapping between them. Producers send with the SDK; what devices end up with is read at the
 * stand-in's end.
 */
public final class QueueRig implements AutoCloseable {

    private final WireMockServer pubnub;
    private final LocalQueue queue;
    private final LocalQueue.Queues queues;
    private final List<LocalFunction> functions = new ArrayList<>();
    private final EventSourceMapping mapping;
    /** What producers sent, by SQS messageId, in the order they sent it. */
    private final Map<String, String> sent = new LinkedHashMap<>();
    /** Between the function and the queue: a region's round trip, where a test asks for one. */
    private final io.syncfanout.testing.TcpFront region;
    private final Path functionZip;
    private final Path work;
    private final Map<String, String> env;
    private final List<Lane> lanes = new ArrayList<>();

    /** A second queue polled into the same function by a mapping of its own, with environments of its own (infra/'s positions_lane). */
    public record Lane(LocalQueue.Queues queues, EventSourceMapping mapping, List<LocalFunction> functions) {
    }

    private QueueRig(Path functionZip, Path work, QueueSettings settings, EventSourceMapping.Settings mappingSettings, int environments,
            Map<String, String> environment, FaultInjector faults, Duration sqsRoundTrip) throws Exception {
        pubnub = faults == null ? PubNubStandIn.newServer(0, PubNubStandIn.Transport.HTTPS_H2)
                : PubNubStandIn.newServer(0, faults, PubNubStandIn.Transport.HTTPS_H2);
        pubnub.start();
        queue = LocalQueue.start();
        queues = queue.create(settings);
        this.functionZip = functionZip;
        this.work = work;
        env = new HashMap<>(PubNubStandIn.functionEnvironment(pubnub));
        env.putAll(functionEnvironment(queue));
        region = sqsRoundTrip.isZero() ? null : new io.syncfanout.testing.TcpFront(queue.endpoint().getPort()).latency(sqsRoundTrip);
        if (region != null) {
            env.put("AWS_ENDPOINT_URL_SQS", "http://127.0.0.1:" + region.port());
        }
        // The outage backoff scaled down with the queues: 1 s after the first receive instead of a minute.
        env.put("SYNC_REDELIVERY_BACKOFF_BASE", "1s");
        env.putAll(environment);
        for (int i = 0; i < environments; i++) {
            functions.add(LocalFunction.start(functionZip, work.resolve("env-" + i), env, settings.functionTimeout()));
        }
        mapping = EventSourceMapping.start(queue.sqs(), queues, mappingSettings, functions);
    }

    /** The rig around {@code target/function.zip}, the build the tests run. */
    public static QueueRig start(Path work, QueueSettings settings, EventSourceMapping.Settings mappingSettings, int environments,
            Map<String, String> environment) throws Exception {
        return start(Path.of("target/function.zip"), work, settings, mappingSettings, environments, environment);
    }

    public static QueueRig start(Path functionZip, Path work, QueueSettings settings, EventSourceMapping.Settings mappingSettings,
            int environments, Map<String, String> environment) throws Exception {
        return new QueueRig(functionZip, work, settings, mappingSettings, environments, environment, null, Duration.ZERO);
    }

    /** As above, against a stand-in whose answers {@code faults} spoil. */
    public static QueueRig start(Path functionZip, Path work, QueueSettings settings, EventSourceMapping.Settings mappingSettings,
            int environments, Map<String, String> environment, FaultInjector faults) throws Exception {
        return new QueueRig(functionZip, work, settings, mappingSettings, environments, environment, faults, Duration.ZERO);
    }

    /** As above, with every call the function makes to the queue {@code sqsRoundTrip} away, as SQS is inside a region. */
    public static QueueRig start(Path work, QueueSettings settings, EventSourceMapping.Settings mappingSettings, int environments,
            Map<String, String> environment, Duration sqsRoundTrip) throws Exception {
        return new QueueRig(Path.of("target/function.zip"), work, settings, mappingSettings, environments, environment, null, sqsRoundTrip);
    }

    public LocalQueue queue() {
        return queue;
    }

    /** A second queue beside the first, sharing its dead-letter queue, polled by a mapping of its own into the same function. */
    public Lane addLane(QueueSettings settings, EventSourceMapping.Settings mappingSettings, int environments) throws Exception {
        LocalQueue.Queues laneQueues = queue.createBeside(queues, settings);
        List<LocalFunction> laneFunctions = new ArrayList<>();
        for (int i = 0; i < environments; i++) {
            laneFunctions.add(LocalFunction.start(functionZip, work.resolve(settings.name() + "-env-" + i), env, settings.functionTimeout()));
        }
        Lane lane = new Lane(laneQueues, EventSourceMapping.start(queue.sqs(), laneQueues, mappingSettings, laneFunctions), laneFunctions);
        lanes.add(lane);
        return lane;
    }

    /** Sends bodies to a lane's queue as a producer does. Returns their messageIds. */
    public List<String> send(Lane lane, List<String> bodies) {
        Map<String, String> ids = queue.send(lane.queues(), bodies, null);
        synchronized (sent) {
            sent.putAll(ids);
        }
        return new ArrayList<>(ids.keySet());
    }

    /** Waits until a lane's records were all deleted or dead-lettered. */
    public void awaitDrained(Lane lane, Duration limit) throws InterruptedException {
        queue.awaitDrained(lane.queues(), lane.mapping(), limit);
    }

    /** What a function needs to reach the local queue: the SDKs' endpoint override and credentials of any kind. */
    public static Map<String, String> functionEnvironment(LocalQueue queue) {
        return Map.of("AWS_ENDPOINT_URL_SQS", queue.endpoint().toString(), "AWS_ACCESS_KEY_ID", "local",
                "AWS_SECRET_ACCESS_KEY", "local", "AWS_SESSION_TOKEN", "local");
    }

    public WireMockServer pubnub() {
        return pubnub;
    }

    public EventSourceMapping mapping() {
        return mapping;
    }

    public List<LocalFunction> functions() {
        return functions;
    }

    public LocalQueue.Queues queues() {
        return queues;
    }

    /** Sends bodies as a producer does; on FIFO each with its group. Returns their messageIds. */
    public List<String> send(List<String> bodies, List<String> groups) {
        Map<String, String> ids = queue.send(queues, bodies, groups);
        synchronized (sent) {
            sent.putAll(ids);
        }
        return new ArrayList<>(ids.keySet());
    }

    public List<String> send(List<String> bodies) {
        return send(bodies, null);
    }

    /** What producers sent, by messageId. */
    public Map<String, String> sent() {
        synchronized (sent) {
            return new LinkedHashMap<>(sent);
        }
    }

    /** Waits until every record was deleted after its delivery or moved to the dead-letter queue. */
    public void awaitDrained(Duration limit) throws InterruptedException {
        queue.awaitDrained(queues, mapping, limit);
    }

    /** The dead-letter queue's messages, by messageId. */
    public Map<String, String> deadLetters() {
        return queue.deadLetters(queues);
    }

    /** A device that has received everything PubNub accepted. */
    public Device device() {
        return Device.after(Delivered.from(pubnub));
    }

    /** Every line the function wrote, over all its environments and processes. */
    public List<String> functionOutput() {
        List<String> lines = new ArrayList<>();
        functions.forEach(f -> lines.addAll(f.output()));
        lanes.forEach(lane -> lane.functions().forEach(f -> lines.addAll(f.output())));
        return lines;
    }

    @Override
    public void close() throws Exception {
        for (Lane lane : lanes) {
            lane.mapping().close();
            for (LocalFunction function : lane.functions()) {
                function.close();
            }
        }
        mapping.close();
        for (LocalFunction function : functions) {
            function.close();
        }
        if (region != null) {
            region.close();
        }
        queue.close();
        pubnub.stop();
    }
}
