package org.hypnostream.inference.stage;

import com.fasterxml.jackson.databind.JsonNode;
import org.hypnostream.inference.features.RelativeWelch;

/**
 * The stager graph's relative-Welch input ({@code causal_context.welch} in the card): the graph input's name; its
 * values are {@link RelativeWelch} of the epoch ({@value RelativeWelch#WIDTH} per row), computed causally with the
 * filter state kept per bed.
 */
record WelchInput(String input) {
    WelchInput {
        if (input == null || input.isBlank()) {
            throw new IllegalArgumentException("causal_context.welch needs an input name");
        }
    }

    /** Null when the card has no welch input; refuses another recipe than {@link RelativeWelch#ID}. */
    static WelchInput fromCard(JsonNode ctx) {
        JsonNode n = ctx == null ? null : ctx.get("welch");
        if (n == null || n.isNull()) {
            return null;
        }
        String recipe = n.path("recipe").asText("");
        if (!RelativeWelch.ID.equals(recipe)) {
            throw new IllegalArgumentException("causal_context.welch recipe '" + recipe + "', this stager computes "
                    + RelativeWelch.ID);
        }
        if (n.path("width").asInt(-1) != RelativeWelch.WIDTH) {
            throw new IllegalArgumentException("causal_context.welch width " + n.path("width").asInt(-1)
                    + ", expected " + RelativeWelch.WIDTH);
        }
        return new WelchInput(n.path("input").asText(null));
    }
}
