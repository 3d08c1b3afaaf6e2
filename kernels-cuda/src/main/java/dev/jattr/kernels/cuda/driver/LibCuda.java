package dev.jattr.kernels.cuda.driver;

import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the CUDA driver library: the path in the system property {@code jattr.cuda.library} when
 * set, else {@code libcuda.so.1} on the loader path, else the usual driver folders.
 */
public final class LibCuda {
  /** Where drivers put {@code libcuda.so.1} when it is not on the loader path. */
  static final List<Path> USUAL = List.of(
      Path.of("/usr/lib/x86_64-linux-gnu/libcuda.so.1"),
      Path.of("/usr/lib64/libcuda.so.1"),
      Path.of("/usr/lib/aarch64-linux-gnu/libcuda.so.1"),
      Path.of("/usr/local/nvidia/lib64/libcuda.so.1"),
      Path.of("/usr/local/nvidia/lib/libcuda.so.1"),
      Path.of("/usr/lib/wsl/lib/libcuda.so.1"));

  private LibCuda() {}

  /**
   * Loads the driver library.
   *
   * @return its symbols
   * @throws CudaUnavailableException when it is found nowhere
   */
  public static SymbolLookup find() {
    String forced = System.getProperty("jattr.cuda.library");
    if (forced != null && !forced.isBlank()) {
      try {
        return SymbolLookup.libraryLookup(Path.of(forced), Arena.global());
      } catch (IllegalArgumentException e) {
        throw new CudaUnavailableException("jattr.cuda.library=" + forced + " could not be loaded");
      }
    }
    try {
      return SymbolLookup.libraryLookup("libcuda.so.1", Arena.global());
    } catch (IllegalArgumentException notOnLoaderPath) {
      List<String> tried = new ArrayList<>();
      tried.add("the loader path");
      for (Path p : USUAL) {
        tried.add(p.getParent().toString());
        if (Files.isRegularFile(p)) {
          try {
            return SymbolLookup.libraryLookup(p, Arena.global());
          } catch (IllegalArgumentException e) {
            // unloadable (another architecture, say): try the next one
          }
        }
      }
      throw new CudaUnavailableException("no NVIDIA driver: libcuda.so.1 is not in " + String.join(", ", tried));
    }
  }
}
