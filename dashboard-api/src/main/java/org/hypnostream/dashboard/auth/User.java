package org.hypnostream.dashboard.auth;

import java.util.Objects;
import java.util.Set;

/** A signed-in user: a name (written to the audit trail) and the wards whose beds they may see; ward "*" = all. */
public record User(String name, Set<String> wards) {
    public static final String ALL_WARDS = "*";

    public User {
        Objects.requireNonNull(name, "name");
        wards = Set.copyOf(wards);
        if (wards.isEmpty()) {
            throw new IllegalArgumentException("user " + name + " has no ward");
        }
    }

    public boolean isAdmin() {
        return wards.contains(ALL_WARDS);
    }

    /** True when the user may see a bed of {@code ward}; a bed without a known ward ({@code null}) only for admins. */
    public boolean maySee(String ward) {
        return isAdmin() || (ward != null && wards.contains(ward));
    }
}
