package dev.jattr.cli;

import dev.jattr.kernels.Backend;
import dev.jattr.kernels.Backends;

/**
 * The backend a {@code --device} names: {@code cpu}, {@code cuda}, or {@code auto} (CUDA where a
 * GPU answers, else the CPU).
 */
final class Devices {
    /** The values {@code --device} takes. */
    static final String CHOICES = "cpu, cuda or auto";
    private static final String CUDA = "cuda";

    private Devices() {}

    /**
     * The backend of a {@code --device} value.
     *
     * @throws IllegalArgumentException when the value is unknown, or CUDA is asked for and cannot
     *     run here (the message says why)
     */
    static Backend resolve(String device) {
        return switch (device) {
            case "cpu" -> Backends.cpu();
            case CUDA -> cuda().orElseThrow(() -> new IllegalArgumentException("--device cuda: " + whyNoCuda()));
            case "auto" -> cuda().orElseGet(Backends::cpu);
            default -> throw new IllegalArgumentException("--device must be " + CHOICES + ", not '" + device + "'");
        };
    }

    private static java.util.Optional<Backend> cuda() {
        return Backends.available().stream().filter(b -> b.name().equals(CUDA)).findFirst();
    }

    /** Why the CUDA backend is not available, in one line. */
    static String whyNoCuda() {
        return Backends.unavailable().stream().filter(u -> u.backend().equals(CUDA)).map(Backends.Unavailable::reason)
                .findFirst().orElse("this build of jattr has no CUDA backend (jattr-kernels-cuda is not on the classpath)");
    }
}
