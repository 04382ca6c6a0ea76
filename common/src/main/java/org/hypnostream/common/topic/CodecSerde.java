package org.hypnostream.common.topic;

import java.util.function.Function;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A Kafka serde from an encode and a decode function. Decoding failures become {@link SerializationException}
 * with the codec's message (which says what is wrong), so a Streams deserialisation handler can dead-letter them.
 */
public final class CodecSerde<T> implements Serde<T>, Serializer<T>, Deserializer<T> {
    private final Function<T, byte[]> encode;
    private final Function<byte[], T> decode;

    public CodecSerde(Function<T, byte[]> encode, Function<byte[], T> decode) {
        this.encode = encode;
        this.decode = decode;
    }

    @Override
    public byte[] serialize(String topic, T data) {
        return data == null ? null : encode.apply(data);
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        try {
            return decode.apply(data);
        } catch (RuntimeException e) {
            throw new SerializationException("bad record on " + topic + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void configure(java.util.Map<String, ?> configs, boolean isKey) {
        // nothing to configure
    }

    @Override
    public void close() {
        // stateless
    }

    @Override
    public Serializer<T> serializer() {
        return this;
    }

    @Override
    public Deserializer<T> deserializer() {
        return this;
    }
}
