package io.docclassify.cli;

import io.docclassify.ConfigurationException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * The bearer tokens {@code doc-classify serve} accepts, read from {@code --tokens} (one per line; blank lines and
 * lines starting with {@code #} are skipped). Tokens are kept as SHA-256 digests and a presented token is compared
 * with every one of them in constant time, so neither the answer's timing nor a token's length tells an
 * attacker how close a guess came.
 */
final class Tokens {

    private final List<byte[]> digests;

    private Tokens(List<byte[]> digests) {
        this.digests = digests;
    }

    static Tokens read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new StartFailure(StartFailure.INPUT, "--tokens " + file + " cannot be read (" + e.getMessage()
                    + "); write one token per line into a file the service can read", e);
        }
        List<byte[]> digests = lines.stream().map(String::strip).filter(line -> !line.isEmpty() && !line.startsWith("#"))
                .map(Tokens::digest).toList();
        if (digests.isEmpty()) {
            throw new ConfigurationException("--tokens " + file + " holds no token; write one token per line"
                    + " (for example the output of 'openssl rand -hex 32')");
        }
        return new Tokens(digests);
    }

    /** Whether an {@code Authorization} header's value carries one of the tokens. */
    boolean accepts(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        byte[] presented = digest(authorization.substring(7).strip());
        boolean match = false;
        for (byte[] digest : digests) {
            match |= MessageDigest.isEqual(digest, presented); // no early exit: every token costs the same
        }
        return match;
    }

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
