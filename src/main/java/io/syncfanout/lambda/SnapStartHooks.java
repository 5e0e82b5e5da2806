package io.syncfanout.lambda;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.SmallRyeConfig;
import io.syncfanout.config.AwsKeysConfigSourceFactory;
import io.syncfanout.plan.BatchPacker;
import io.syncfanout.plan.ChannelQueue;
import io.syncfanout.plan.PublishPlan;
import io.syncfanout.plan.PublishPlanner;
import io.syncfanout.pubnub.PubNubConnections;
import io.syncfanout.pubnub.PubNubGateway;
import io.syncfanout.pubnub.PubNubKeys;
import io.syncfanout.pubnub.PublishCircuit;
import io.syncfanout.pubnub.PublishPacing;
import io.syncfanout.record.ReadResult;
import io.syncfanout.record.RecordReader;
import io.syncfanout.record.SqsRecord;
import io.syncfanout.sqs.Redeliveries;

/**
 * SnapStart's runtime hooks for the JVM build, as CRaC {@link Resource}s
 * (<a href="https://docs.aws.amazon.com/lambda/latest/dg/snapstart-runtime-hooks-java.html">AWS</a>):
 * <ul>
 * <li>{@code beforeCheckpoint}, as a version is published: the hot path primed on a synthetic batch with
 * no side effect (reader, planner, packer, signer, PubNub's answers, the summary's JSON, the TLS engine, the SQS client),
 * so the snapshot holds it loaded and, on {@code java25}, compiled by C2; then every pooled connection
 * closed, since one kept in a snapshot is dead after the restore.</li>
 * <li>{@code afterRestore}, as each instance resumes from the snapshot: the keys read again from SSM or
 * Secrets Manager (a rotation since the snapshot reaches restored instances without a new version), and
 * the circuit and the 429 pacing started fresh.</li>
 * </ul>
 */
@Singleton
public class SnapStartHooks implements Resource {

    private static final Logger LOG = Logger.getLogger(SnapStartHooks.class);
    /** Enough rounds for the JIT to compile the hot path, a few hundred milliseconds of the publish's init. */
    static final int PRIMING_ROUNDS = 200;

    private final RecordReader reader;
    private final PublishPlanner planner;
    private final BatchPacker packer;
    private final PubNubGateway gateway;
    private final PubNubConnections connections;
    private final PublishCircuit circuit;
    private final PublishPacing pacing;
    private final Redeliveries redeliveries;
    private final Config config;

    SnapStartHooks(RecordReader reader, PublishPlanner planner, BatchPacker packer, PubNubGateway gateway,
            PubNubConnections connections, PublishCircuit circuit, PublishPacing pacing, Redeliveries redeliveries,
            Config config) {
        this.reader = reader;
        this.planner = planner;
        this.packer = packer;
        this.gateway = gateway;
        this.connections = connections;
        this.circuit = circuit;
        this.pacing = pacing;
        this.redeliveries = redeliveries;
        this.config = config;
    }

    /** On the JVM only: the native build has no snapshot, and CRaC's global context keeps what registers. */
    void register(@Observes StartupEvent event) {
        if (System.getProperty("org.graalvm.nativeimage.imagecode") == null) {
            Core.getGlobalContext().register(this);
        }
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        long start = System.nanoTime();
        for (int round = 0; round < PRIMING_ROUNDS; round++) {
            prime(round);
        }
        primeTls();
        redeliveries.prime();
        connections.closeAll();
        LOG.infof("primed for the snapshot in %d ms (%d synthetic batches, nothing sent); pooled connections closed",
                (System.nanoTime() - start) / 1_000_000, PRIMING_ROUNDS);
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        rereadKeys();
        circuit.restart();
        pacing.restart();
    }

    /** One synthetic batch through what an invocation runs before and after the publish calls. */
    private void prime(int round) {
        List<ReadResult> read = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            long hlc = (1_764_237_600_000L + round) << 16 | i;
            String user = "priming-" + (i % 5);
            String body = i % 2 == 0
                    ? "{\"user_id\":\"" + user + "\",\"type\":\"progress_update\",\"device_id\":\"tv\",\"timestamp\":" + hlc
                            + ",\"content_id\":\"c" + (i % 3) + "\",\"position_seconds\":" + i + ",\"duration_seconds\":5400,"
                            + "\"state\":\"Playing\",\"sent_at\":\"2026-11-27T10:00:00.123Z\"}"
                    : "{\"user_id\":\"" + user + "\",\"type\":\"watchlist_update\",\"device_id\":\"phone\",\"timestamp\":" + hlc
                            + ",\"operation\":\"Add\",\"content_id\":\"c" + i + "\",\"unique_tag\":\"t" + hlc + "\"}";
            read.add(reader.read(new SqsRecord(i, "priming-" + i, null, body)));
        }
        read.add(reader.read(new SqsRecord(20, "priming-invalid", null, "{\"user_id\":")));
        PublishPlan plan = planner.plan(read);
        for (ChannelQueue queue : plan.channels()) {
            packer.pack(queue.channel(), queue.items());
        }
        gateway.prime();
        InvocationSummary summary = new InvocationSummary(read.size(), plan.superseded(), plan.duplicates(), plan.channels().size(), 0,
                0, Map.of(), 1, List.of(1L, 2L), 0, 0, 0, false, false, "h2", InvocationSummary.Redelivered.NONE);
        summary.text();
        EmbeddedMetrics.document(summary, "Priming", "priming", null, System.currentTimeMillis());
    }

    /** The JDK's TLS engine up to its first ClientHello: providers, cipher suites and key shares loaded. */
    private static void primeTls() {
        try {
            SSLEngine engine = SSLContext.getDefault().createSSLEngine("ps.pndsn.com", 443);
            engine.setUseClientMode(true);
            engine.beginHandshake();
            engine.wrap(ByteBuffer.allocate(0), ByteBuffer.allocate(engine.getSession().getPacketBufferSize()));
        } catch (Exception e) {
            LOG.debugf("TLS priming skipped: %s", e.getClass().getSimpleName());
        }
    }

    /**
     * The keys from where infra/ says they live, read again. A key the function is given any other way
     * (a {@code PUBNUB_*_KEY} variable) still wins, as at start-up: the configuration says where each
     * came from. A failed read keeps the keys of the snapshot and says why.
     */
    private void rereadKeys() {
        Map<String, String> read;
        try {
            read = AwsKeysConfigSourceFactory.read(name -> config.getOptionalValue(name, String.class).filter(v -> !v.isBlank())
                    .orElse(null));
        } catch (RuntimeException e) {
            // The extension's messages name parameters and secrets, never their values.
            LOG.warnf("the PubNub keys could not be read again after the restore (%s): publishing with those of the snapshot",
                    e.getMessage());
            return;
        }
        if (read.isEmpty()) {
            return;
        }
        gateway.useKeys(new PubNubKeys(key("pubnub.publish-key", read).orElse(""), key("pubnub.subscribe-key", read).orElse(""),
                key("pubnub.secret-key", read), key("pubnub.auth-key", read)));
        LOG.infof("PubNub keys read again after the restore (%s)", String.join(", ", read.keySet()));
    }

    /** The key read again, unless the one in use came from a setting that outranks SSM and Secrets Manager. */
    private Optional<String> key(String property, Map<String, String> read) {
        ConfigValue current = config.unwrap(SmallRyeConfig.class).getConfigValue(property);
        boolean outranks = current.getValue() != null && current.getSourceOrdinal() > AwsKeysConfigSourceFactory.ORDINAL;
        return Optional.ofNullable(outranks ? current.getValue() : read.getOrDefault(property, current.getValue()));
    }
}
