package org.hypnostream.dashboard.web;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import org.hypnostream.dashboard.auth.RateLimiter;
import org.hypnostream.dashboard.auth.User;
import org.hypnostream.dashboard.eeg.EegFrame;
import org.hypnostream.dashboard.eeg.EegPanel;
import org.hypnostream.dashboard.eeg.EmgTrace;
import org.hypnostream.dashboard.night.BedNight;
import org.hypnostream.dashboard.night.BedUpdate;
import org.hypnostream.dashboard.night.WardState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The open websockets and what each subscribed to (a ward, or one bed). A new socket first gets a snapshot of every
 * bed it may see (each with its seq), then every later update of those beds in order; all on one event loop, so
 * nothing falls between the snapshot and the first update. A client too slow to keep up is closed (1013) and
 * resumes by reconnecting (a fresh snapshot).
 */
public final class LiveSockets {
    private static final Logger LOG = LoggerFactory.getLogger(LiveSockets.class);

    private record Sub(ServerWebSocket ws, User user, String ward, String bed) {
        boolean wants(String bedId, String bedWard) {
            if (!user.maySee(bedWard)) {
                return false;
            }
            if (bed != null) {
                return bed.equals(bedId);
            }
            return User.ALL_WARDS.equals(ward) || ward.equals(bedWard);
        }
    }

    private final WardState state;
    private final EegPanel eeg;
    private final InstantSource clock;
    private final List<Sub> subs = new ArrayList<>();
    private final RateLimiter messageLimit;

    public LiveSockets(WardState state, EegPanel eeg, InstantSource clock, MeterRegistry registry) {
        this.state = state;
        this.eeg = eeg;
        this.clock = clock;
        this.messageLimit = new RateLimiter(clock, 2, 10);
        registry.gauge("hypnostream.dashboard.websockets", subs, List::size);
    }

    public long countFor(User user) {
        return subs.stream().filter(s -> s.user.name().equals(user.name())).count();
    }

    /** Registers a socket whose handshake was authorised for {@code ward} or {@code bed} (exactly one non-null). */
    public void add(ServerWebSocket ws, User user, String ward, String bed) {
        Sub sub = new Sub(ws, user, ward, bed);
        JsonArray beds = new JsonArray();
        for (BedNight n : state.beds()) {
            if (sub.wants(n.bedId(), n.ward())) {
                beds.add(n.toJson());
            }
        }
        ws.writeTextMessage(snapshot(beds).encode());
        if (bed != null) {
            eeg.historyJson(bed).ifPresent(h -> ws.writeTextMessage(h.encode()));
            eeg.emgJson(bed).ifPresent(h -> ws.writeTextMessage(h.encode()));
        }
        subs.add(sub);
        String key = ws.toString();
        ws.closeHandler(v -> subs.remove(sub));
        ws.exceptionHandler(e -> LOG.debug("websocket of {}: {}", user.name(), e.toString()));
        ws.textMessageHandler(msg -> {
            if (!messageLimit.tryAcquire(key)) {
                ws.close((short) 1008, "too many messages");
            } else if ("ping".equals(msg)) {
                ws.writeTextMessage(new JsonObject().put("type", "pong").put("serverTime", clock.instant().toString()).encode());
            }
        });
        ws.binaryMessageHandler(b -> ws.close((short) 1003, "binary messages not accepted"));
    }

    private JsonObject snapshot(JsonArray beds) {
        return new JsonObject().put("type", "snapshot").put("serverTime", clock.instant().toString()).put("beds", beds);
    }

    /** Sends a new EEG frame (spectrogram columns, traces) to the bed-view sockets of that bed. */
    public void publishEeg(EegFrame f) {
        String ward = state.bed(f.bedId()).map(BedNight::ward).orElse(null);
        String text = null;
        for (Sub s : subs) {
            if (s.bed != null && s.wants(f.bedId(), ward) && !s.ws.writeQueueFull()) {
                if (text == null) {
                    text = eeg.liveJson(f).encode();
                }
                s.ws.writeTextMessage(text);
            }
        }
    }

    /** Sends a bed's newest needle-EMG trace to the bed-view sockets of that bed (latest-value, outside the night). */
    public void publishEmg(EmgTrace t) {
        String ward = state.bed(t.bedId()).map(BedNight::ward).orElse(null);
        String text = null;
        for (Sub s : subs) {
            if (s.bed != null && s.wants(t.bedId(), ward) && !s.ws.writeQueueFull()) {
                if (text == null) {
                    text = t.json().encode();
                }
                s.ws.writeTextMessage(text);
            }
        }
    }

    /** Sends one update to every socket that wants it; a bed's registry change is sent as a fresh snapshot of it. */
    public void publish(BedUpdate u) {
        String text = null;
        for (Sub s : List.copyOf(subs)) {
            if (!s.wants(u.bedId(), u.ward())) {
                continue;
            }
            if (s.ws.writeQueueFull()) {
                LOG.warn("websocket of {} too slow, closing it (it will resume with a snapshot)", s.user.name());
                s.ws.close((short) 1013, "too slow, reconnect");
                subs.remove(s);
                continue;
            }
            if ("bed".equals(u.kind())) {
                s.ws.writeTextMessage(snapshot(new JsonArray().add(state.bed(u.bedId()).orElseThrow().toJson())).encode());
            } else {
                if (text == null) {
                    text = u.toJson().encode();
                }
                s.ws.writeTextMessage(text);
            }
        }
    }
}
