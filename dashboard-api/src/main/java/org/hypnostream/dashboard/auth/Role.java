package org.hypnostream.dashboard.auth;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * What a user may do (the users file's 6th field). Everyone signed in may view their wards' beds and acknowledge
 * alarms or pause their audio; technologists, physicians and admins may also turn an alarm off (ADR 0013); nurses also mark lights-off/on and add bedside events; technologists also admit, end and amend
 * studies and correct the night in the morning review; physicians view, handle alarms, add bedside events (notes) and
 * sign the reviewed study, not lifecycle marks or corrections; admins may do all but sign.
 */
public enum Role {
    NURSE(EnumSet.of(Permission.VIEW, Permission.ALARM_ACTION, Permission.LIGHTS, Permission.BEDSIDE_EVENT)),
    TECHNOLOGIST(EnumSet.complementOf(EnumSet.of(Permission.SIGN))),
    PHYSICIAN(EnumSet.of(Permission.VIEW, Permission.ALARM_ACTION, Permission.ALARM_OFF, Permission.BEDSIDE_EVENT,
            Permission.SIGN)),
    /** Everything but signing: a signature is a physician's. */
    ADMIN(EnumSet.complementOf(EnumSet.of(Permission.SIGN)));

    /** What a request needs. */
    public enum Permission {
        VIEW,
        /** Acknowledge an alarm or pause its audio (IEC 60601-1-8 ACKNOWLEDGED / AUDIO PAUSED). */
        ALARM_ACTION,
        /** Turn the alarm of a bed's condition off and on again (IEC 60601-1-8 ALARM OFF): not a nurse. */
        ALARM_OFF,
        LIGHTS, BEDSIDE_EVENT, ADMIT_END, AMEND,
        /** Correct the night in the morning review (re-stage, add / delete a leg movement). */
        REVIEW,
        /** Mark a study reviewed and sign it (and sign again after an amendment). */
        SIGN
    }

    private final Set<Permission> permissions;

    Role(Set<Permission> permissions) {
        this.permissions = Set.copyOf(permissions);
    }

    public boolean may(Permission p) {
        return permissions.contains(p);
    }

    /** "nurse", "technologist", "physician", "admin" (case-insensitive). */
    public static Role parse(String s) {
        try {
            return valueOf(s.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown role '" + s + "' (nurse, technologist, physician or admin)");
        }
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
