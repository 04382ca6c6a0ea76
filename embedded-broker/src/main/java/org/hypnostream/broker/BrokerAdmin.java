package org.hypnostream.broker;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.KafkaFuture;
import org.hypnostream.common.config.KafkaClients;

/**
 * The admin side of a test broker or cluster, through its plaintext listener: the admin client, waiting until a
 * started node answers, and creating something (ACLs, SCRAM credentials) then waiting until the broker holds it.
 */
final class BrokerAdmin {
    private BrokerAdmin() {
    }

    /** One admin call, or a check of what the broker holds. */
    interface AdminStep<T> {
        T run(Admin admin) throws ExecutionException, TimeoutException, InterruptedException;
    }

    /** An admin client of a test broker or cluster: 10-s requests, 15-s calls (a dead node is noticed in time). */
    static Admin admin(String bootstrapServers) {
        return Admin.create(KafkaClients.client(bootstrapServers, Map.of(
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000",
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "15000")));
    }

    /** Polls {@code describeCluster} until the broker at {@code bootstrapServers} answers; fails after {@code timeout}. */
    static void awaitReady(String bootstrapServers, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try (Admin admin = admin(bootstrapServers)) {
                admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
                return;
            } catch (ExecutionException | TimeoutException e) {
                last = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the broker", e);
            }
        }
        throw new IllegalStateException("embedded Kafka did not become ready in " + timeout, last);
    }

    /**
     * Sends {@code create}, then polls {@code held} until the broker holds what was created (at most 30 s), so that a
     * client started next is judged by it; failures name {@code what}.
     */
    static void createAndAwait(String bootstrapServers, String what, AdminStep<KafkaFuture<Void>> create,
            AdminStep<Boolean> held) {
        try (Admin admin = admin(bootstrapServers)) {
            create.run(admin).get(30, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!held.run(admin)) {
                if (System.nanoTime() > deadline) {
                    throw new TimeoutException("the broker does not hold the new " + what + " after 30 s");
                }
                Thread.sleep(20); // paces the polling of the broker
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot create " + what + ": " + e.getCause().getMessage(), e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("timed out creating " + what, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted creating " + what, e);
        }
    }
}
