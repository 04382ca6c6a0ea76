package org.hypnostream.dashboard.auth;

import java.util.Objects;
import java.util.Set;

/**
 * A signed-in user: a name (written to the audit trail), the wards whose beds they may see (ward "*" = all) and a
 * role (what they may do there).
 */
public record User(String name, Set<String> wards, Role role) {
    public static final String ALL_WARDS = "*";

    public User {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(role, "role");
        wards = Set.copyOf(wards);
        if (wards.isEmpty()) {
            throw new IllegalArgumentException("user " + name + " has no ward");
        }
    }

    /** With the default role: admin for ward "*", else nurse (a users file written before roles existed). */
    public User(String name, Set<String> wards) {
        this(name, wards, defaultRole(wards));
    }

    public static Role defaultRole(Set<String> wards) {
        return wards.contains(ALL_WARDS) ? Role.ADMIN : Role.NURSE;
    }

    public boolean isAdmin() {
        return wards.contains(ALL_WARDS);
    }

    public boolean may(Role.Permission p) {
        return role.may(p);
    }

    /** True when the user may see a bed of {@code ward}; a bed without a known ward ({@code null}) only for admins. */
    public boolean maySee(String ward) {
        return isAdmin() || (ward != null && wards.contains(ward));
    }
}
