package org.hypnostream.dashboard.auth;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/** PBKDF2WithHmacSHA256 password hashes (JDK only): a random 16-byte salt, a 256-bit key, a stored iteration count. */
public final class PasswordHasher {
    public static final int MIN_ITERATIONS = 10_000;
    public static final int DEFAULT_ITERATIONS = 310_000;
    private static final int KEY_BITS = 256;
    private static final SecureRandom RANDOM = new SecureRandom();

    private PasswordHasher() {
    }

    /** A new users-file credential: {@code iterations:saltBase64:hashBase64}. */
    public static String hash(char[] password, int iterations) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        byte[] key = derive(password, salt, iterations);
        return iterations + ":" + Base64.getEncoder().encodeToString(salt) + ":" + Base64.getEncoder().encodeToString(key);
    }

    /** Constant-time check of a password against a stored salt and hash. */
    public static boolean verify(char[] password, byte[] salt, byte[] expected, int iterations) {
        byte[] actual = derive(password, salt, iterations);
        return MessageDigest.isEqual(actual, expected);
    }

    static byte[] derive(char[] password, byte[] salt, int iterations) {
        if (iterations < MIN_ITERATIONS) {
            throw new IllegalArgumentException("PBKDF2 iterations " + iterations + " below minimum " + MIN_ITERATIONS);
        }
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, KEY_BITS);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 unavailable in this JDK", e);
        } finally {
            spec.clearPassword();
        }
    }
}
