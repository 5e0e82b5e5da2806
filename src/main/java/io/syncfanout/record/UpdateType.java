package io.syncfanout.record;

import java.util.Optional;

/** The two kinds of sync update subscribers decode by {@code type}. */
public enum UpdateType {
    WATCHLIST_UPDATE("watchlist_update"),
    PROGRESS_UPDATE("progress_update");

    private final String wireName;

    UpdateType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<UpdateType> fromWire(String name) {
        for (UpdateType type : values()) {
            if (type.wireName.equals(name)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
