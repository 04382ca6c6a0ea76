package org.hypnostream.bench.load;

import com.fasterxml.jackson.databind.JsonNode;

/** Human-readable summaries of the benchmark JSON objects (the JSON is the record; this is for the terminal). */
public final class BenchText {
    private BenchText() {
    }

    public static String pipeline(JsonNode j) {
        StringBuilder b = new StringBuilder();
        b.append(String.format("pipeline: %d beds x %.3gx = %.0f bed-seconds/s for %.0f s, %d partitions, %d websocket clients%n",
                j.get("beds").asInt(), j.get("speed").asDouble(), j.get("bed_seconds_per_second").asDouble(),
                j.get("duration_s").asDouble(), j.get("partitions").asInt(), j.get("websocket_clients").asInt()));
        b.append(String.format("  kept up: %s   complete: %s   drain after end: %s s   lights-on re-scores: %s s%n",
                j.get("kept_up"), j.get("complete"), j.get("drain_after_end_s"),
                j.has("lights_on_rescore_s") ? j.get("lights_on_rescore_s") : "(no lights-on)"));
        b.append(String.format("  samples/s ingested %,d  delivered %,d   bytes/s %,d   epochs/s %s   stage events/s %s%n",
                j.get("samples_ingested_per_s").asLong(), j.get("samples_delivered_per_s").asLong(),
                j.get("ingest_bytes_per_s").asLong(), j.get("epochs_per_s"), j.get("stage_events_per_s")));
        b.append("  end-to-end latency (newest block journaled -> websocket): ").append(latency(j.get("e2e_latency"))).append('\n');
        b.append("    of which block journaled -> stage event produced:    ").append(latency(j.get("source_to_stage_event_produced"))).append('\n');
        b.append("    of which stage event produced -> websocket:          ").append(latency(j.get("stage_event_produced_to_websocket"))).append('\n');
        b.append("  end-to-end latency, second half of the load: ").append(latency(j.get("e2e_latency_second_half"))).append('\n');
        b.append(String.format("  CPU %s cores (%s ms per bed-second)   heap after GC %s MiB (%s KiB per bed)%n",
                j.get("cpu_cores_used"), j.get("cpu_ms_per_bed_second"), j.get("heap_after_gc_mib"),
                j.get("heap_after_gc_per_bed_kib")));
        if (j.has("floor_latency")) {
            b.append(floor(j));
        }
        if (j.has("kafka_ceiling")) {
            JsonNode c = j.get("kafka_ceiling");
            b.append(String.format("  raw Kafka ceiling (same broker, same blocks): %,d bytes/s (~%d beds); pipeline ingest = %.2f%% of it%n",
                    c.get("consumed_bytes_per_s").asLong(), j.get("ceiling_beds_equivalent").asLong(),
                    j.get("ingest_to_ceiling_ratio").asDouble() * 100));
        }
        return b.toString();
    }

    /** The null pipeline's latency (same broker, same hops, no work) and the real pipeline's as a multiple of it. */
    public static String floor(JsonNode j) {
        JsonNode n = j.get("null_pipeline");
        StringBuilder b = new StringBuilder();
        b.append("  null pipeline (same hops, exactly-once, no work; send -> last read_committed reader): ")
                .append(latency(j.get("floor_latency"))).append('\n');
        b.append(String.format("    %d of %d records delivered, %d twice, complete: %s%n", n.get("records_delivered").asLong(),
                n.get("records_sent").asLong(), n.get("duplicates").asLong(), n.get("complete")));
        if (j.has("floor_latency_second_half")) {
            b.append("    second half of the null pipeline's run: ").append(latency(j.get("floor_latency_second_half"))).append('\n');
        }
        if (j.has("e2e_to_floor_p99_ratio")) {
            b.append(String.format("    end-to-end = %s x the floor at p50, %s x the floor at p99 (whole runs)%n", ratio(j, "e2e_to_floor_p50_ratio"),
                    ratio(j, "e2e_to_floor_p99_ratio")));
        }
        if (j.has("e2e_to_floor_second_half_p99_ratio")) {
            b.append(String.format("    end-to-end = %s x the floor at p50, %s x the floor at p99 (second halves: steady state)%n",
                    ratio(j, "e2e_to_floor_second_half_p50_ratio"), ratio(j, "e2e_to_floor_second_half_p99_ratio")));
        }
        return b.toString();
    }

    /** A ratio field, "-" when it is null (no samples on one side). */
    private static String ratio(JsonNode j, String field) {
        JsonNode r = j.get(field);
        return r == null || r.isNull() ? "-" : r.asText();
    }

    public static String latency(JsonNode l) {
        return String.format("n=%d p50 %s ms  p95 %s ms  p99 %s ms  max %s ms", l.get("count").asInt(), l.get("p50_ms"),
                l.get("p95_ms"), l.get("p99_ms"), l.get("max_ms"));
    }
}
