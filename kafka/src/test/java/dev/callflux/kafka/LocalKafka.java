package dev.callflux.kafka;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CountDownLatch;

/**
 * A single-node Kafka broker (KRaft) for trying the worker on one machine, no Docker: {@code [port]}, default
 * 9092, on loopback. From the project root, after the README's first command:
 * {@code java -cp "kafka/target/classes:kafka/target/test-classes:$(cat kafka/target/test.classpath)" dev.callflux.kafka.LocalKafka}.
 * Its data lives in a temporary directory and goes with it; Ctrl-C stops it.
 *
 * <p>The test kit binds the broker's listener to a free port of its own choosing, so {@code port} is a relay
 * to it: a client bootstraps there, and the broker's metadata then sends it to the broker's own port.
 */
public final class LocalKafka {

    private LocalKafka() {
    }

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 9092;
        KafkaBroker broker = KafkaBroker.start();
        String[] hostPort = broker.bootstrapServers().split(",")[0].split(":");
        InetSocketAddress target = new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1]));
        ServerSocket relay = new ServerSocket();
        relay.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                relay.close();
                broker.close();
            } catch (Exception e) {
                System.err.println("local Kafka: " + e.getMessage());
            }
            stopped.countDown();
        }));
        Thread acceptor = new Thread(() -> {
            while (!relay.isClosed()) {
                try {
                    Socket in = relay.accept();
                    Socket out = new Socket(target.getAddress(), target.getPort());
                    pump(in, out);
                    pump(out, in);
                } catch (IOException closed) {
                    return;
                }
            }
        }, "local-kafka-relay");
        acceptor.setDaemon(true);
        acceptor.start();
        System.out.println("Kafka broker (KRaft, one node, in this process) at localhost:" + port
                + " (--bootstrap-servers, the default); Ctrl-C stops it and deletes its data");
        stopped.await();
    }

    private static void pump(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                in.transferTo(out);
            } catch (IOException ignored) {
                // one side closed: close both
            } finally {
                try {
                    from.close();
                    to.close();
                } catch (IOException ignored) {
                    // closing
                }
            }
        }, "local-kafka-relay-pump");
        t.setDaemon(true);
        t.start();
    }
}
