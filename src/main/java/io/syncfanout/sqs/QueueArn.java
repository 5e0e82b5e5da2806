package io.syncfanout.sqs;

/**
 * A queue's ARN, {@code arn:aws:sqs:region:account:name}, and the queue URL SQS's API takes for it. The
 * URL's host is the region's public endpoint; the client sends it in the request body, to whatever
 * endpoint it was given, so a local queue reads the account and name from its path.
 */
record QueueArn(String partition, String region, String account, String name) {

    static QueueArn parse(String arn) {
        if (arn == null) {
            return null;
        }
        String[] parts = arn.split(":", 6);
        if (parts.length != 6 || !parts[0].equals("arn") || !parts[2].equals("sqs") || parts[5].isEmpty()) {
            return null;
        }
        return new QueueArn(parts[1], parts[3], parts[4], parts[5]);
    }

    /** https://sqs.{region}.amazonaws.com/{account}/{name} (amazonaws.com.cn in the China partition). */
    String url() {
        String domain = partition.equals("aws-cn") ? "amazonaws.com.cn" : "amazonaws.com";
        return "https://sqs." + region + "." + domain + "/" + account + "/" + name;
    }
}
