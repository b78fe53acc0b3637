package dev.ncp.host.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A byte-for-byte TCP relay in front of a local server, one link per client connection, so that a test sees what
 * the JDK's HTTP server hides: how many connections are open, when a client closed its connection (even while the
 * server writes nothing), and a way to reset a connection (RST) like a crashing upstream does.
 */
final class TcpRelay implements AutoCloseable {

    /** One client connection and its connection to the server behind. */
    static final class Link {
        private final Socket client;
        private final Socket backend;
        private final CountDownLatch closed = new CountDownLatch(1);
        private final AtomicBoolean done = new AtomicBoolean();

        private Link(Socket client, Socket backend) {
            this.client = client;
            this.backend = backend;
        }

        /** Aborts the client's connection with a TCP reset, as a crashed server's kernel would. */
        void reset() {
            try {
                client.setSoLinger(true, 0);
            } catch (IOException ignored) {
                // closing below still ends the connection
            }
            close();
        }

        /** Waits until the connection closed (either side); false if it is still open after {@code timeout}. */
        boolean awaitClosed(Duration timeout) throws InterruptedException {
            return closed.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        boolean isClosed() {
            return closed.getCount() == 0;
        }

        private void close() {
            if (!done.compareAndSet(false, true)) {
                return;
            }
            closeQuietly(client);
            closeQuietly(backend);
            closed.countDown();
        }
    }

    private final ServerSocket front;
    private final int backendPort;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    /** Links by the local port of their backend socket, which the server sees as the client's port. */
    private final Map<Integer, Link> links = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicInteger accepted = new java.util.concurrent.atomic.AtomicInteger();

    TcpRelay(int backendPort) throws IOException {
        this.backendPort = backendPort;
        this.front = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        threads.execute(this::accept);
    }

    int port() {
        return front.getLocalPort();
    }

    /** The link whose server side comes from {@code remote} (an exchange's remote address). */
    Link link(InetSocketAddress remote) {
        return links.get(remote.getPort());
    }

    /** Client connections accepted since the start, closed ones included. */
    int acceptedConnections() {
        return accepted.get();
    }

    /** Client connections currently open. */
    int openConnections() {
        return (int) links.values().stream().filter(l -> !l.isClosed()).count();
    }

    @Override
    public void close() {
        closeQuietly(front);
        links.values().forEach(Link::close);
        threads.shutdownNow();
    }

    private void accept() {
        while (!front.isClosed()) {
            Socket client;
            try {
                client = front.accept();
            } catch (IOException closed) {
                return;
            }
            accepted.incrementAndGet();
            try {
                var backend = new Socket(InetAddress.getLoopbackAddress(), backendPort);
                // pieces go on at once: Nagle plus the peer's delayed ACK would hold a second piece ~40 ms
                client.setTcpNoDelay(true);
                backend.setTcpNoDelay(true);
                var link = new Link(client, backend);
                links.put(backend.getLocalPort(), link);
                threads.execute(() -> pipe(client, backend, link));
                threads.execute(() -> pipe(backend, client, link));
            } catch (IOException e) {
                closeQuietly(client);
            }
        }
    }

    private static void pipe(Socket from, Socket to, Link link) {
        byte[] buffer = new byte[8192];
        try (InputStream in = from.getInputStream()) {
            OutputStream out = to.getOutputStream();
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException ignored) {
            // a side closed or reset; the link ends below
        } finally {
            link.close();
        }
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }
}
