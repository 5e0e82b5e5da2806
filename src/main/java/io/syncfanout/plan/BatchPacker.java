package io.syncfanout.plan;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.syncfanout.config.SyncConfig;

/**
 * Packs a channel's items into publish bodies within {@code sync.batch.max-messages} and
 * {@code sync.batch.max-bytes}: a lone item goes bare, two or more in the batch envelope (contract,
 * section 2).
 */
@Singleton
public class BatchPacker {

    /** Fixed width, so the envelope's size is known before its time is taken. */
    private static final DateTimeFormatter SENT_AT = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);
    private static final String ENVELOPE_ID_PREFIX = "batch-";
    private static final int ENVELOPE_ID_HEX = 32;
    private static final String DEVICE_ID = "sync-fanout";

    private final int maxMessages;
    private final int maxBytes;
    private final Clock clock;
    private final int envelopeOverhead;

    @Inject
    public BatchPacker(SyncConfig config) {
        this(config.batch().maxMessages(), config.batch().maxBytes(), Clock.systemUTC());
    }

    public BatchPacker(int maxMessages, int maxBytes, Clock clock) {
        this.maxMessages = maxMessages;
        this.maxBytes = maxBytes;
        this.clock = clock;
        this.envelopeOverhead = envelopeHead("x".repeat(ENVELOPE_ID_PREFIX.length() + ENVELOPE_ID_HEX),
                SENT_AT.format(clock.instant())).length + ENVELOPE_TAIL.length;
    }

    /** Whether an item can be published at all: alone, bare, within the byte limit. */
    public boolean fitsAlone(int itemBytes) {
        return itemBytes <= maxBytes;
    }

    public int maxBytes() {
        return maxBytes;
    }

    /** How many of the leading candidates one publish can carry (at least one). */
    public int fittingPrefix(List<PlannedItem> candidates) {
        int count = 1;
        long bytes = envelopeOverhead + candidates.get(0).bytes();
        while (count < candidates.size() && count < maxMessages) {
            long next = bytes + 1 + candidates.get(count).bytes();
            if (next > maxBytes) {
                break;
            }
            bytes = next;
            count++;
        }
        return count;
    }

    /** The publish of the longest prefix of {@code candidates} that fits. */
    public ChannelBatch packPrefix(String channel, List<PlannedItem> candidates) {
        return pack(channel, candidates.subList(0, fittingPrefix(candidates)));
    }

    /** The publish of exactly these items, which the caller knows to fit. */
    public ChannelBatch pack(String channel, List<PlannedItem> items) {
        if (items.size() == 1) {
            PlannedItem only = items.get(0);
            return new ChannelBatch(channel, items, only.item().json(), only.item().messageId());
        }
        String id = envelopeId(items);
        byte[] head = envelopeHead(id, SENT_AT.format(clock.instant()));
        ByteArrayOutputStream body = new ByteArrayOutputStream(
                head.length + ENVELOPE_TAIL.length + items.stream().mapToInt(i -> i.bytes() + 1).sum());
        body.writeBytes(head);
        for (int i = 0; i < items.size(); i++) {
            if (i > 0) {
                body.write(',');
            }
            body.writeBytes(items.get(i).item().json());
        }
        body.writeBytes(ENVELOPE_TAIL);
        return new ChannelBatch(channel, items, body.toByteArray(), id);
    }

    /**
     * Derived from the items' ids, so the publish of a redelivered batch carries the same id. Each id
     * goes into the hash behind its length, so two different id lists never hash the same input,
     * whatever the ids contain (amendment 6: a {@code message_id} may hold a newline).
     */
    static String envelopeId(List<PlannedItem> items) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            ByteBuffer length = ByteBuffer.allocate(Integer.BYTES);
            for (PlannedItem item : items) {
                String messageId = item.item().messageId();
                if (isWellFormed(messageId)) {
                    byte[] id = messageId.getBytes(StandardCharsets.UTF_8);
                    sha256.update(length.clear().putInt(id.length).flip());
                    sha256.update(id);
                } else {
                    // A lone surrogate has no UTF-8 form (getBytes makes each one '?', amendment 14): hash
                    // the UTF-16 code units, behind a negative length so neither form can pass for the other.
                    sha256.update(length.clear().putInt(-messageId.length()).flip());
                    ByteBuffer units = ByteBuffer.allocate(2 * messageId.length());
                    messageId.chars().forEach(unit -> units.putChar((char) unit));
                    sha256.update(units.flip());
                }
            }
            return ENVELOPE_ID_PREFIX + HexFormat.of().formatHex(sha256.digest()).substring(0, ENVELOPE_ID_HEX);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    /** Whether every surrogate in the text is half of a pair. */
    static boolean isWellFormed(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    private static final byte[] ENVELOPE_TAIL = "]}".getBytes(StandardCharsets.US_ASCII);

    private static byte[] envelopeHead(String id, String sentAt) {
        return ("{\"type\":\"batch\",\"operation_type\":\"batch\",\"message_id\":\"" + id
                + "\",\"device_id\":\"" + DEVICE_ID + "\",\"sent_at\":\"" + sentAt + "\",\"messages\":[")
                .getBytes(StandardCharsets.US_ASCII);
    }
}
