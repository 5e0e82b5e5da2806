package io.syncfanout.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP hop on loopback in front of a server, doing to connections what networks do to them: it
 * passes bytes both ways unread (TLS included), and on a test's word it
 * <ul>
 * <li>resets the next connections as soon as they are accepted ({@link #resetNext}): a process that
 * is still starting, as the Parameters and Secrets extension is at a cold start;</li>
 * <li>forgets every open connection ({@link #forgetOpenConnections}): as a load balancer or NAT that
 * dropped idle flows, it sends the client nothing, and answers the client's next write with a reset;</li>
 * <li>counts the connections clients opened ({@link #accepted});</li>
 * <li>holds every answer for a while ({@link #latency}), pipelined: a region's round trip to a service
 * such as SQS (10-20 ms), which loopback does not have.</li>
 * </ul>
 */
public final class TcpFront implements AutoCloseable {

    private final ServerSocket server;
    private final int targetPort;
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger toReset = new AtomicInteger();
    private final Set<Link> open = ConcurrentHashMap.newKeySet();
    private volatile long latencyNanos;

    /** @param port where to listen on 127.0.0.1, 0 for any free port */
    public TcpFront(int port, int targetPort) throws IOException {
        this.server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        this.targetPort = targetPort;
        Thread acceptor = new Thread(this::acceptAll, "tcp-front-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public TcpFront(int targetPort) throws IOException {
        this(0, targetPort);
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Connections accepted so far, reset ones included. */
    public int accepted() {
        return accepted.get();
    }

    /** Connections whose client has not closed them yet. */
    public int openConnections() {
        return open.size();
    }

    /** From now on, every byte the server sends reaches its client this much later. */
    public TcpFront latency(java.time.Duration delay) {
        latencyNanos = delay.toNanos();
        return this;
    }

    /** The next {@code connections} connections are reset as soon as they are accepted. */
    public void resetNext(int connections) {
        toReset.set(connections);
    }

    /**
     * Every connection open now is dropped from the path without a word to its client: the server's
     * side is closed, and the client's next write meets a reset. Returns how many were dropped.
     */
    public int forgetOpenConnections() {
        int forgotten = 0;
        for (Link link : open) {
            link.forget();
            forgotten++;
        }
        return forgotten;
    }

    private void acceptAll() {
        while (!server.isClosed()) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException closed) {
                return;
            }
            accepted.incrementAndGet();
            if (toReset.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                reset(client);
                continue;
            }
            try {
                Socket target = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                Link link = new Link(client, target);
                open.add(link);
                link.start();
            } catch (IOException unreachable) {
                reset(client);
            }
        }
    }

    private static void reset(Socket socket) {
        try {
            socket.setSoLinger(true, 0);
            socket.close();
        } catch (IOException ignored) {
            // already gone
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already gone
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        open.forEach(Link::close);
    }

    /** One client's connection and the front's own connection to the server. */
    private final class Link {
        final Socket client;
        final Socket target;
        volatile boolean forgotten;

        Link(Socket client, Socket target) {
            this.client = client;
            this.target = target;
        }

        void start() {
            Thread up = new Thread(this::clientToTarget, "tcp-front-up");
            Thread down = new Thread(this::targetToClient, "tcp-front-down");
            up.setDaemon(true);
            down.setDaemon(true);
            up.start();
            down.start();
        }

        void forget() {
            forgotten = true;
            closeQuietly(target);
        }

        private void clientToTarget() {
            byte[] buffer = new byte[16_384];
            try (InputStream in = client.getInputStream(); OutputStream out = target.getOutputStream()) {
                for (int read; (read = in.read(buffer)) >= 0; ) {
                    if (forgotten) {
                        reset(client);
                        return;
                    }
                    out.write(buffer, 0, read);
                    out.flush();
                }
            } catch (IOException gone) {
                if (forgotten) {
                    reset(client);
                }
            } finally {
                if (!forgotten) {
                    close();
                }
                open.remove(this);
            }
        }

        private void targetToClient() {
            // Chunks are stamped as they are read and written out once the latency has passed since, so
            // a long answer costs one latency, not one per chunk.
            java.util.concurrent.BlockingQueue<Object[]> held = new java.util.concurrent.LinkedBlockingQueue<>();
            Thread writer = new Thread(() -> writeHeld(held), "tcp-front-held");
            writer.setDaemon(true);
            writer.start();
            byte[] buffer = new byte[16_384];
            try {
                InputStream in = target.getInputStream();
                for (int read; (read = in.read(buffer)) >= 0 && !forgotten; ) {
                    held.add(new Object[] { System.nanoTime() + latencyNanos, java.util.Arrays.copyOf(buffer, read) });
                }
            } catch (IOException gone) {
                // the other direction, or forget(), closes what is left
            }
            held.add(new Object[] { System.nanoTime() + latencyNanos, null });
        }

        private void writeHeld(java.util.concurrent.BlockingQueue<Object[]> held) {
            try {
                OutputStream out = client.getOutputStream();
                while (true) {
                    Object[] chunk = held.take();
                    long wait = (long) chunk[0] - System.nanoTime();
                    if (wait > 0) {
                        java.util.concurrent.TimeUnit.NANOSECONDS.sleep(wait);
                    }
                    if (chunk[1] == null || forgotten) {
                        break;
                    }
                    out.write((byte[]) chunk[1]);
                    out.flush();
                }
            } catch (IOException | InterruptedException gone) {
                // the client went away
            }
            if (!forgotten) {
                close();
            }
        }

        void close() {
            closeQuietly(client);
            closeQuietly(target);
        }
    }
}
