package io.syncfanout.capacity;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Plays Lambda's SQS scaling rules against one instance's measured capacity, a tenth of a second at a
 * time, as a fluid: records are amounts, not messages, and nothing is random, so the same inputs give the
 * same figures. Reports each second's backlog, oldest message age, concurrency, publishes, busiest channel
 * and cost, and which limit held the backlog up first.
 */
public final class Simulation {

    static final double TICK = 0.1;
    // Standard mode: "starts processing five batches at a time … increases … by up to 300 more concurrent
    // invokes per minute. The maximum … is 1,250": https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-scaling.html
    static final double STANDARD_START = 5;
    static final double STANDARD_GROWTH_PER_SECOND = 300 / 60.0;
    static final double STANDARD_CEILING = 1_250;
    // Provisioned mode: each poller handles "1 MB/s, 10 concurrent invokes, or up to 10 polling API calls per
    // second" (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-scaling.html), whichever binds first;
    // pollers "auto scale up to 1000 concurrent executions per minute" (AWS News Blog, provisioned mode for SQS
    // ESM, 2025).
    static final double INVOKES_PER_POLLER = 10;
    static final double POLLER_BYTES_PER_SECOND = 1_000_000;
    static final double POLLER_CALLS_PER_SECOND = 10;
    static final double PROVISIONED_GROWTH_PER_SECOND = 1_000 / 60.0;
    /** Pollers grow with the invocations they carry: 1,000 concurrent executions a minute are 100 pollers. */
    static final double POLLER_GROWTH_PER_SECOND = PROVISIONED_GROWTH_PER_SECOND / INVOKES_PER_POLLER;
    /** An invocation's payload is at most 6 MB: https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html */
    static final double PAYLOAD_BYTES = 6 * 1024 * 1024;
    /** The event's own fields around each record's body (ids, receipt handle, attributes, ARN): samples/*.json average 727. */
    static final double RECORD_OVERHEAD_BYTES = 730;
    /** ReceiveMessage returns at most 10 messages; DeleteMessageBatch deletes at most 10. */
    static final double MESSAGES_PER_SQS_CALL = 10;
    /** The mapping long-polls an empty queue: a receive waits up to 20 s for a message. */
    static final double LONG_POLL_SECONDS = 20;
    /** Past the curve, how long a backlog may take to drain before the run gives up. */
    static final double DRAIN_LIMIT_SECONDS = 6 * 3600;

    /** One second of the run. Costs and counts are that second's; {@code backlog} is at its end. */
    public record Second(int t, double arrivals, double backlog, double oldestAgeSeconds, double concurrency, double allowedConcurrency,
            double publishes, double busiestChannelRate, double busiestChannelUnbatched, double invocations, double gbSeconds,
            double sqsRequests, double transactions, double pollerSeconds, double records, double sqsSends) {
    }

    /** A whole run: its seconds, and the limits that held the backlog up, with when each first did. */
    public record Result(TriggerSettings settings, Load load, InstanceCapacity instance, List<Second> seconds, double coldStarts,
            double initGbSeconds, Map<Limit, Double> heldFirstAt, Map<Limit, Double> heldSeconds, boolean drained,
            boolean timeoutBoundBatch) {

        public double totalUpdates() {
            return seconds.stream().mapToDouble(Second::records).sum();
        }

        public double maxBacklog() {
            return seconds.stream().mapToDouble(Second::backlog).max().orElse(0);
        }

        public double maxAge() {
            return seconds.stream().mapToDouble(Second::oldestAgeSeconds).max().orElse(0);
        }

        /** The 99th percentile of each second's oldest message age, over the seconds that had records. */
        public double p99Age() {
            double[] ages = seconds.stream().filter(s -> s.records() > 0 || s.backlog() > 0).mapToDouble(Second::oldestAgeSeconds).sorted()
                    .toArray();
            return ages.length == 0 ? 0 : ages[(int) Math.ceil(0.99 * ages.length) - 1];
        }

        /** The seconds of the curve's second half: a steady load past its ramp. */
        public List<Second> steadyHalf() {
            int end = Math.min(load.perSecond().length, seconds.size());
            return seconds.subList(end / 2, end);
        }

        /** The 99th percentile of the oldest message's age over the curve's second half: a steady load past its ramp. */
        public double steadyP99Age() {
            double[] ages = steadyHalf().stream().mapToDouble(Second::oldestAgeSeconds).sorted().toArray();
            return ages.length == 0 ? 0 : ages[(int) Math.ceil(0.99 * ages.length) - 1];
        }

        /** The age the goal is judged on: a steady load's past its ramp, any other load's over the whole run. */
        public double goalAge() {
            return load.isSteady() ? steadyP99Age() : p99Age();
        }

        public double peakConcurrency() {
            return seconds.stream().mapToDouble(Second::concurrency).max().orElse(0);
        }

        /** The 99th percentile, over the seconds that published, of the busiest channel's messages a second. */
        public double channelRateP99() {
            double[] rates = seconds.stream().filter(s -> s.records() > 0).mapToDouble(Second::busiestChannelRate).sorted().toArray();
            return rates.length == 0 ? 0 : rates[(int) Math.ceil(0.99 * rates.length) - 1];
        }

        public double peakChannelRateUnbatched() {
            return seconds.stream().mapToDouble(Second::busiestChannelUnbatched).max().orElse(0);
        }

        /** When the last record was handed to PubNub, in seconds from the start. */
        public double drainedAt() {
            for (int i = seconds.size() - 1; i >= 0; i--) {
                if (seconds.get(i).records() > 0) {
                    return i + 1;
                }
            }
            return 0;
        }

        /** The first limit that held the backlog up, or "none". */
        public String firstLimit() {
            return heldFirstAt.entrySet().stream().min(Map.Entry.comparingByValue()).map(e -> e.getKey().label(this)).orElse("none");
        }

        /** The limit that held the backlog up longest, if any did. */
        public java.util.Optional<Limit> mainLimitKind() {
            return heldSeconds.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey);
        }

        /** The limit that held the backlog up longest, or "none". */
        public String mainLimit() {
            return mainLimitKind().map(l -> l.label(this)).orElse("none");
        }

        /** When each limit first held the backlog up, by its label, in that order. */
        public Map<String, Double> limitsFirstAt() {
            return byLabel(heldFirstAt);
        }

        /** How long each limit held the backlog up, by its label. */
        public Map<String, Double> limitSeconds() {
            return byLabel(heldSeconds);
        }

        private Map<String, Double> byLabel(Map<Limit, Double> byLimit) {
            Map<String, Double> labelled = new LinkedHashMap<>();
            byLimit.forEach((limit, value) -> labelled.put(limit.label(this), value));
            return labelled;
        }

        public Cost cost() {
            return Cost.of(this, seconds);
        }

        /** The month's cost at the rate of the curve's second half (a steady load, past its ramp). */
        public Cost monthlyAtSteadyRate() {
            List<Second> tail = steadyHalf();
            return Cost.of(this, tail).month(Prices.MONTH_SECONDS / tail.size());
        }

        /** Records still waiting when the load curve ends. */
        public double backlogAtCurveEnd() {
            int end = Math.min(load.perSecond().length, seconds.size());
            return end == 0 ? 0 : seconds.get(end - 1).backlog();
        }

        /** Whether it kept up: over the curve's second half the backlog did not grow by more than a second's arrivals. */
        public boolean keptUp() {
            int end = Math.min(load.perSecond().length, seconds.size());
            if (end == 0) {
                return true;
            }
            double lastRate = load.perSecond()[load.perSecond().length - 1];
            return backlogAtCurveEnd() <= seconds.get(end / 2).backlog() + lastRate;
        }
    }

    /**
     * What a run, or a stretch of it, costs; PubNub's as transactions (its price is per contract). {@code sqs}: the
     * mapping's receives and deletes; {@code sqsSends}: the producers' sends, one an update (SendMessageBatch would
     * cut them tenfold), the same whatever the function's settings.
     */
    public record Cost(double lambdaX86, double lambdaArm, double sqs, double sqsSends, double pubnubTransactions, double pollerHours,
            double gbSeconds, double invocations, double sqsRequests, double sendRequests, boolean fifo) {

        static Cost of(Result result, List<Second> seconds) {
            boolean whole = seconds.size() == result.seconds.size();
            double gb = seconds.stream().mapToDouble(Second::gbSeconds).sum() + (whole ? result.initGbSeconds : 0);
            double invocations = seconds.stream().mapToDouble(Second::invocations).sum();
            double sqsRequests = seconds.stream().mapToDouble(Second::sqsRequests).sum();
            double sends = seconds.stream().mapToDouble(Second::sqsSends).sum();
            boolean fifo = result.settings.fifo();
            double sqsPrice = fifo ? Prices.SQS_REQUEST_FIFO : Prices.SQS_REQUEST_STANDARD;
            double requests = invocations * Prices.LAMBDA_REQUEST;
            return new Cost(gb * Prices.LAMBDA_GB_SECOND_X86 + requests, gb * Prices.LAMBDA_GB_SECOND_ARM + requests, sqsRequests * sqsPrice,
                    sends * sqsPrice, seconds.stream().mapToDouble(Second::transactions).sum(),
                    seconds.stream().mapToDouble(Second::pollerSeconds).sum() / 3600, gb, invocations, sqsRequests, sends, fifo);
        }

        /** Provisioned mode's event poller units: one an SQS poller, billed by the second. */
        public double pollers() {
            return pollerHours * Prices.EVENT_POLLER_UNIT_HOUR;
        }

        /**
         * This cost {@code factor} times over, as a month's: SQS's requests at the month's tiered price, which falls
         * past 100 billion requests (standard queues; FIFO's tiers are not modelled), shared by the mapping's
         * requests and the producers' sends in proportion.
         */
        Cost month(double factor) {
            double mapping = sqsRequests * factor;
            double sent = sendRequests * factor;
            double dollars = fifo ? (mapping + sent) * Prices.SQS_REQUEST_FIFO : Prices.sqsStandardMonth(mapping + sent);
            double share = mapping + sent > 0 ? mapping / (mapping + sent) : 0;
            return new Cost(lambdaX86 * factor, lambdaArm * factor, dollars * share, dollars * (1 - share), pubnubTransactions * factor,
                    pollerHours * factor, gbSeconds * factor, invocations * factor, mapping, sent, fifo);
        }
    }

    private final InstanceCapacity instance;
    private final TriggerSettings settings;
    private final Load load;

    public Simulation(InstanceCapacity instance, TriggerSettings settings, Load load) {
        if (!instance.build().equals(settings.build()) || instance.memoryMb() != settings.memoryMb()) {
            throw new IllegalArgumentException("the instance measured is not the one the settings name");
        }
        this.instance = instance;
        this.settings = settings;
        this.load = load;
    }

    public Result run() {
        ArrayDeque<double[]> backlog = new ArrayDeque<>(); // {arrival time, records, arrival rate}
        ArrayDeque<double[]> starting = new ArrayDeque<>(); // {ready at, environments}
        double backlogRecords = 0;
        double allowed = 0; // concurrency the mapping allows now; 0 until the queue first has messages
        // Provisioned mode's pollers: a quantity of their own, since small updates need many more pollers (their
        // receives) than invocations; the minimum always runs.
        double pollers = settings.provisioned() ? settings.minimumPollers() : 0;
        double environments = 0; // started, warm or starting
        double warm = 0;
        double coldStarts = 0;
        double initGbSeconds = 0;
        boolean timeoutBound = false;
        double gb = settings.memoryMb() / 1024.0;
        double maxBatch = Math.min(Math.min(settings.batchSize(), instance.largestBatch()),
                Math.floor(PAYLOAD_BYTES / (RECORD_OVERHEAD_BYTES + load.messageBytes())));
        double ceiling = ceiling();
        double floor = Math.min(ceiling, settings.provisioned() ? settings.minimumPollers() * INVOKES_PER_POLLER : STANDARD_START);
        double growth = settings.provisioned() ? PROVISIONED_GROWTH_PER_SECOND : STANDARD_GROWTH_PER_SECOND;
        double window = settings.windowSeconds();
        // The largest batch an environment takes: the batch size, the payload, one receive without a window, the timeout.
        double untimedLimit = window > 0 ? maxBatch : Math.min(maxBatch, Math.max(MESSAGES_PER_SQS_CALL, settings.batchSize()));
        double peakRate = java.util.Arrays.stream(load.perSecond()).max().orElse(1);
        double batchLimit = largestBatchWithin(untimedLimit, peakRate);
        Map<Limit, Double> limitsFirstAt = new LinkedHashMap<>();
        Map<Limit, Double> limitSeconds = new LinkedHashMap<>();
        List<Second> seconds = new ArrayList<>();
        SecondTally tally = new SecondTally();
        double end = load.perSecond().length;

        long ticks = 0;
        for (double t = 0; t < end || backlogRecords > 1e-6; t = ++ticks * TICK) {
            if (t >= end + DRAIN_LIMIT_SECONDS) {
                break;
            }
            double rate = load.rateAt(t);
            double arrivals = rate * TICK;
            if (arrivals > 0) {
                backlog.addLast(new double[] { t, arrivals, rate });
                backlogRecords += arrivals;
            }
            if (allowed == 0 && backlogRecords > 0) {
                allowed = floor;
            }
            if (allowed > environments + 1e-9) {
                double fresh = allowed - environments;
                starting.addLast(new double[] { t + instance.coldSeconds(), fresh });
                environments = allowed;
                coldStarts += fresh;
                initGbSeconds += fresh * instance.coldSeconds() * gb;
            }
            while (!starting.isEmpty() && starting.peekFirst()[0] <= t + 1e-9) {
                warm += starting.pollFirst()[1];
            }
            double ready = Math.min(allowed, warm);
            boolean groupBound = false;
            if (settings.fifo() && ready > Math.min(load.users(), backlogRecords)) {
                // FIFO: at most one batch in flight per message group.
                ready = Math.min(load.users(), backlogRecords);
                groupBound = true;
            }

            double served = 0;
            double invocations = 0;
            double duration = 0;
            double gathering = 0; // how long the first record of a batch waits for the rest
            double tau = 0;
            double publishes = 0;
            double transactions = 0;
            double busy = 0;
            boolean pollerBound = false;
            if (ready > 1e-9 && backlogRecords > 1e-9) {
                // The environments that finish an invocation this tick take what is visible, up to a batch each;
                // with a window, each gathers its share of the arrivals for up to the window while it runs.
                timeoutBound |= batchLimit < untimedLimit;
                double headRate = backlog.peekFirst()[2];
                double n = batchLimit;
                double cycle = 1;
                for (int i = 0; i < 4; i++) {
                    double invocation = batch(n, headRate).seconds();
                    cycle = window > 0 && n < batchLimit ? Math.max(window, invocation) : invocation;
                    double finishing = ready * TICK / cycle;
                    n = clamp(Math.max(backlogRecords / finishing, window > 0 ? rate * cycle / ready : 0), 1, batchLimit);
                }
                Batch batch = batch(n, headRate);
                tau = batch.span();
                double perUser = batch.perUser();
                double perBatch = batch.publishes();
                duration = batch.seconds();
                gathering = window > 0 && n < batchLimit && rate > 0 ? Math.min(window, n * ready / rate) : 0;
                double capacity = ready * TICK / cycle * n;
                if (settings.provisioned()) {
                    double pollerLimit = pollers * pollerMessagesPerSecond(load.messageBytes()) * TICK;
                    pollerBound = pollerLimit < capacity;
                    capacity = Math.min(capacity, pollerLimit);
                }
                served = Math.min(backlogRecords, capacity);
                invocations = served / n;
                publishes = invocations * perBatch;
                transactions = publishes
                        * ChannelModel.transactionsPerPublish(Math.min(perUser, ChannelModel.itemsPerPublish(load.messageBytes())), load.messageBytes());
                busy = invocations * duration / TICK;
                take(backlog, served);
                backlogRecords -= served;
                tally.invocations += invocations;
                tally.gbSeconds += invocations * duration * gb;
                tally.sqsRequests += invocations * Math.ceil(n / MESSAGES_PER_SQS_CALL - 1e-9) * 2; // ReceiveMessage, DeleteMessageBatch
            }
            if (backlogRecords < 1e-6) {
                backlogRecords = 0;
                backlog.clear();
            }
            double age = backlogRecords > 0 ? t + TICK - backlog.peekFirst()[0] + duration : served > 0 ? gathering + duration : 0;

            // The mapping scales up while messages are still available, and back down when they are not.
            double before = allowed;
            if (backlogRecords > 0) {
                allowed = Math.min(ceiling, allowed + growth * TICK);
                if (settings.provisioned()) {
                    // Each poller runs at most 10 invocations at once.
                    pollers = Math.min(settings.maximumPollers(), pollers + POLLER_GROWTH_PER_SECOND * TICK);
                    allowed = Math.min(allowed, pollers * INVOKES_PER_POLLER);
                }
                // A limit is what holds the backlog up: more than a second's arrivals left waiting.
                if (backlogRecords > Math.max(rate, 1)) {
                    Limit limit = groupBound ? Limit.FIFO_GROUPS
                            : pollerBound ? Limit.POLLER_THROUGHPUT
                            : before < ceiling - 1e-9 ? Limit.SCALE_UP
                            : ready < before - 1e-9 ? Limit.COLD_STARTS
                            : ceilingLimit(ceiling);
                    limitsFirstAt.putIfAbsent(limit, t);
                    limitSeconds.merge(limit, TICK, Double::sum);
                }
            } else if (allowed > 0) {
                // Back to what is busy; in provisioned mode, pollers back to what the traffic's messages need.
                allowed = Math.max(floor, Math.min(allowed, busy));
                if (settings.provisioned()) {
                    double needed = Math.max(busy / INVOKES_PER_POLLER, served / TICK / pollerMessagesPerSecond(load.messageBytes()));
                    pollers = Math.max(settings.minimumPollers(), Math.min(pollers, needed));
                }
            }

            tally.arrivals += arrivals;
            tally.oldestAge = Math.max(tally.oldestAge, age);
            tally.busySeconds += busy * TICK;
            tally.allowedSeconds += allowed * TICK;
            tally.publishes += publishes;
            tally.transactions += transactions;
            // Weighted by the records served, so a tick's odd batch does not speak for the second.
            tally.channelRateByRecord += served > 0 ? ChannelModel.channelRate(tau, load.busiestUserRate(), load.messageBytes()) * served : 0;
            tally.busiestUnbatched = Math.max(tally.busiestUnbatched, rate > 0 || served > 0 ? load.busiestUserRate() : 0);
            if (settings.provisioned()) {
                // The minimum pollers run, and are billed, whether or not the queue has ever had a message;
                // those with nothing to carry still long-poll, and every receive is a billed SQS request.
                tally.pollerSeconds += pollers * TICK;
                double carrying = served / TICK / pollerMessagesPerSecond(load.messageBytes());
                tally.sqsRequests += Math.max(0, pollers - carrying) * TICK / LONG_POLL_SECONDS;
            }
            tally.served += served;
            if ((ticks + 1) % Math.round(1 / TICK) == 0) {
                seconds.add(tally.second(seconds.size(), backlogRecords));
                tally = new SecondTally();
            }
        }
        if (tally.arrivals > 0 || tally.served > 0) {
            seconds.add(tally.second(seconds.size(), backlogRecords));
        }
        return new Result(settings, load, instance, seconds, coldStarts, initGbSeconds, limitsFirstAt, limitSeconds, backlogRecords <= 1e-6,
                timeoutBound);
    }

    /**
     * Messages a provisioned poller carries a second: 1 MB of them, or 10 receives of at most 10, whichever is
     * fewer. Small updates meet the calls first: one poller moves about 100 a second, not 10,000.
     */
    static double pollerMessagesPerSecond(double messageBytes) {
        return Math.min(POLLER_BYTES_PER_SECOND / messageBytes, POLLER_CALLS_PER_SECOND * MESSAGES_PER_SQS_CALL);
    }

    /** What one second's ticks add up to. */
    private static final class SecondTally {
        double arrivals;
        double oldestAge;
        double busySeconds;
        double allowedSeconds;
        double publishes;
        double channelRateByRecord;
        double busiestUnbatched;
        double invocations;
        double gbSeconds;
        double sqsRequests;
        double transactions;
        double pollerSeconds;
        double served;

        Second second(int t, double backlog) {
            // Each update is one producer's SendMessage.
            return new Second(t, arrivals, backlog, oldestAge, busySeconds, allowedSeconds, publishes, served > 0 ? channelRateByRecord / served : 0,
                    busiestUnbatched, invocations, gbSeconds, sqsRequests, transactions, pollerSeconds, served, arrivals);
        }
    }

    /** The concurrency the mapping can never pass. */
    double ceiling() {
        if (settings.provisioned()) {
            return Math.min(settings.maximumPollers() * INVOKES_PER_POLLER, settings.accountConcurrency());
        }
        double ceiling = Math.min(STANDARD_CEILING, settings.accountConcurrency());
        return settings.maximumConcurrency() == null ? ceiling : Math.min(ceiling, settings.maximumConcurrency());
    }

    /** Which setting the ceiling came from. */
    private Limit ceilingLimit(double ceiling) {
        if (settings.provisioned() && ceiling == settings.maximumPollers() * INVOKES_PER_POLLER) {
            return Limit.MAXIMUM_POLLERS;
        }
        if (settings.maximumConcurrency() != null && ceiling == settings.maximumConcurrency()) {
            return Limit.MAXIMUM_CONCURRENCY;
        }
        if (ceiling == settings.accountConcurrency()) {
            return Limit.ACCOUNT_CONCURRENCY;
        }
        return Limit.MAPPING_CEILING;
    }

    /**
     * A batch of {@code n} records drawn while they arrive at {@code rate} a second: the seconds of arrivals it spans,
     * the records each of its users brings, its publishes, and the seconds its invocation takes.
     */
    private record Batch(double span, double perUser, double publishes, double seconds) {
    }

    private Batch batch(double n, double rate) {
        double span = n / Math.max(rate, 1e-9);
        double perUser = ChannelModel.recordsPerUser(span, load.userRate(), load.updatesPerUser());
        double publishes = ChannelModel.publishes(n, perUser, load.messageBytes());
        return new Batch(span, perUser, publishes, instance.invocationSeconds(n, publishes));
    }

    /** The batch, no larger than {@code n}, whose invocation fits in the function's timeout at the curve's peak rate (its slowest). */
    private double largestBatchWithin(double n, double peakRate) {
        if (batch(n, peakRate).seconds() <= settings.timeoutSeconds()) {
            return n;
        }
        double low = 1;
        double high = n;
        for (int i = 0; i < 40; i++) {
            double mid = (low + high) / 2;
            if (batch(mid, peakRate).seconds() <= settings.timeoutSeconds()) {
                low = mid;
            } else {
                high = mid;
            }
        }
        return low;
    }

    private static void take(ArrayDeque<double[]> backlog, double records) {
        double left = records;
        while (left > 1e-12 && !backlog.isEmpty()) {
            double[] oldest = backlog.peekFirst();
            if (oldest[1] <= left) {
                left -= oldest[1];
                backlog.pollFirst();
            } else {
                oldest[1] -= left;
                left = 0;
            }
        }
    }

    static double clamp(double value, double low, double high) {
        return Math.max(low, Math.min(high, value));
    }

    static String fmt(double value) {
        return String.format(java.util.Locale.ROOT, "%.1f", value);
    }
}
