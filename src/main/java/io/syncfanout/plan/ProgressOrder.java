package io.syncfanout.plan;

import java.util.Comparator;

import io.syncfanout.record.SyncItem;

/**
 * Which of two progress updates for one title is newer (contract, amendment 19): the larger
 * {@code timestamp}; on equal timestamps the larger {@code device_id}; then the larger
 * {@code message_id}. Strings compare by Unicode code point, the byte order of their UTF-8, which is
 * not {@link String#compareTo}'s UTF-16 order for characters outside the Basic Multilingual Plane.
 * Subscribers keep the newest by the same order (docs/subscribers.md), so every device ends on the same
 * position whatever order publishes reach it in, coalesced or not.
 */
public final class ProgressOrder {

    /** Older first: the newest is the maximum. */
    public static final Comparator<SyncItem> OLDEST_FIRST = Comparator.comparingLong(SyncItem::timestamp)
            .thenComparing(SyncItem::deviceId, ProgressOrder::compareCodePoints)
            .thenComparing(SyncItem::messageId, ProgressOrder::compareCodePoints);

    private ProgressOrder() {
    }

    /** Compares two strings code point by code point, as their UTF-8 bytes compare. */
    public static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int x = a.codePointAt(i);
            int y = b.codePointAt(j);
            if (x != y) {
                return Integer.compare(x, y);
            }
            i += Character.charCount(x);
            j += Character.charCount(y);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }
}
