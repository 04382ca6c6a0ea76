package org.hypnostream.stream;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.internals.MeteredKeyValueStore;

/**
 * The bytes under a typed store of a {@link TopologyTestDriver} (below its serdes: what RocksDB and the changelog hold),
 * so that a test can capture a store's values as one build wrote them and put them back under another build, as a
 * restore from the changelog does. Fixture lines: {@code <store> <key> <base64 value>}.
 */
public final class RawStores {
    private RawStores() {
    }

    @SuppressWarnings("unchecked")
    public static KeyValueStore<Bytes, byte[]> bytesOf(TopologyTestDriver d, String store) {
        StateStore s = d.getKeyValueStore(store);
        // the metered store is the only layer with serdes; every layer under it holds Bytes -> byte[]
        while (s instanceof MeteredKeyValueStore<?, ?> m) {
            s = m.wrapped();
        }
        return (KeyValueStore<Bytes, byte[]>) s;
    }

    /** Every value of the named stores as fixture lines, sorted by store and key. */
    public static String dump(TopologyTestDriver d, List<String> stores) {
        StringBuilder b = new StringBuilder();
        for (String store : stores) {
            Map<String, byte[]> values = new TreeMap<>();
            try (KeyValueIterator<Bytes, byte[]> it = bytesOf(d, store).all()) {
                while (it.hasNext()) {
                    var kv = it.next();
                    values.put(new String(kv.key.get(), StandardCharsets.UTF_8), kv.value);
                }
            }
            values.forEach((k, v) -> b.append(store).append(' ').append(k).append(' ')
                    .append(Base64.getEncoder().encodeToString(v)).append('\n'));
        }
        return b.toString();
    }

    /** Puts fixture lines back, as raw bytes, into the driver's stores; returns how many values it put. */
    public static int load(TopologyTestDriver d, String lines) {
        int n = 0;
        for (String line : lines.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split(" ");
            bytesOf(d, f[0]).put(Bytes.wrap(f[1].getBytes(StandardCharsets.UTF_8)), Base64.getDecoder().decode(f[2]));
            n++;
        }
        return n;
    }
}
