package io.syncfanout.bench;

import java.util.Arrays;
import java.util.List;

/**
 * The options the TLS-era benchmarks share ({@code ./bench --tls}, {@code --h2-servers}, {@code --capacity}):
 * which memory sizes, which builds, and whether to take fewer runs.
 */
record SizesAndBuilds(List<Integer> sizes, List<String> builds, boolean quick) {

    /**
     * Reads {@code --memory}, {@code --builds} and {@code --quick} after {@code mode}; anything else is refused
     * with {@code usage}.
     */
    static SizesAndBuilds parse(String[] args, String mode, List<Integer> defaultSizes, String usage) {
        List<Integer> sizes = defaultSizes;
        List<String> builds = List.of("native", "jvm");
        boolean quick = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--memory" -> sizes = Arrays.stream(args[++i].split(",")).map(Integer::parseInt).toList();
                case "--builds" -> builds = List.of(args[++i].split(","));
                case "--quick" -> quick = true;
                default -> {
                    if (!args[i].equals(mode)) {
                        throw new IllegalArgumentException("usage: " + usage);
                    }
                }
            }
        }
        return new SizesAndBuilds(sizes, builds, quick);
    }
}
