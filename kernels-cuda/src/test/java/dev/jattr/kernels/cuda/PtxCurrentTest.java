package dev.jattr.kernels.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The committed PTX under {@code src/main/resources/dev/jattr/kernels/cuda/ptx} is what the CUDA
 * backend loads; it must be the output of {@code scripts/build-ptx.sh} for the CUDA C sources
 * next to it, and carry every kernel the ABI header {@code jattr_kernels.h} declares.
 *
 * <p>The checks of file sets and kernel names need no tools and always run. The rebuild and the
 * ptxas checks need the CUDA toolkit (nvcc and ptxas on PATH or in /usr/local/cuda/bin) and are
 * skipped, with the reason printed, where it is missing.
 */
class PtxCurrentTest {
  private static final String CUDA_DIR = "kernels-cuda/src/main/cuda";
  private static final String PTX_DIR = "kernels-cuda/src/main/resources/dev/jattr/kernels/cuda/ptx";
  private static final String BUILD_SCRIPT = "scripts/build-ptx.sh";
  private static final String HEADER = "jattr_kernels.h";
  /** Real GPU targets every committed file must assemble for. */
  private static final List<String> ARCHS = List.of("sm_80", "sm_90");

  /**
   * A section of the header, {@code // ---- gemm.cu ----} (a remark may follow the name): the
   * kernels below it live in that source.
   */
  private static final Pattern SECTION = Pattern.compile("^// -{4} ([A-Za-z0-9_]+)\\.cu\\b.*-{4}\\s*$");
  /** A kernel signature in the header, {@code //   name_T(} or {@code //   name_f32(}. */
  private static final Pattern KERNEL = Pattern.compile("^//\\s+([a-z][a-z0-9_]*_(?:T|f32|f64|tf32))\\(");
  /** A kernel entry point in PTX. */
  private static final Pattern ENTRY = Pattern.compile("^\\.visible\\s+\\.entry\\s+([A-Za-z_$][A-Za-z0-9_$]*)\\(",
      Pattern.MULTILINE);
  /** The release line nvcc writes at the top of its PTX. */
  private static final Pattern RELEASE = Pattern.compile("Cuda compilation tools, release [^\\r\\n]*");

  @TempDir
  Path temp;

  @Test
  void everySourceHasItsCommittedPtxAndEverySectionOfTheHeaderItsSource() throws IOException {
    Path root = projectRoot();
    Set<String> sources = baseNames(root.resolve(CUDA_DIR), ".cu");
    Set<String> committed = baseNames(root.resolve(PTX_DIR), ".ptx");
    assertFalse(sources.isEmpty(), "no .cu files in " + CUDA_DIR);
    assertEquals(sources, committed, "the .cu files in " + CUDA_DIR + " and the .ptx files in " + PTX_DIR
        + " differ; regenerate with: " + BUILD_SCRIPT + " (and delete the PTX of removed sources)");
    assertEquals(headerKernels(root).keySet(), sources,
        "the sections of " + HEADER + " (// ---- NAME.cu ----) and the .cu files differ");
  }

  @Test
  void everyKernelOfTheHeaderIsAnEntryOfItsSectionsPtx() throws IOException {
    Path root = projectRoot();
    Map<String, List<String>> declared = headerKernels(root);
    assertTrue(declared.getOrDefault("gemm", List.of()).contains("gemm_f32"),
        "the header parser lost gemm_f32: " + declared);
    assertTrue(declared.getOrDefault("conv", List.of()).containsAll(List.of("conv_fwd_f32", "conv_fwd_f64")),
        "the header parser did not expand conv_fwd_T: " + declared);
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, List<String>> section : declared.entrySet()) {
      Path ptx = root.resolve(PTX_DIR).resolve(section.getKey() + ".ptx");
      if (section.getValue().isEmpty()) {
        problems.add("section " + section.getKey() + ".cu of " + HEADER + " declares no kernel");
      }
      if (!Files.isRegularFile(ptx)) {
        problems.add(PTX_DIR + "/" + ptx.getFileName() + " is missing");
        continue;
      }
      Set<String> entries = entries(Files.readString(ptx, StandardCharsets.UTF_8));
      for (String kernel : section.getValue()) {
        if (!entries.contains(kernel)) {
          problems.add(kernel + " (declared in the " + section.getKey() + ".cu section) is not a .visible .entry of "
              + ptx.getFileName());
        }
      }
      for (String entry : entries) {
        if (!section.getValue().contains(entry)) {
          problems.add(ptx.getFileName() + " has the entry " + entry + ", which " + HEADER + " does not declare");
        }
      }
    }
    assertEquals(List.of(), problems, "kernels of " + HEADER + " vs the committed PTX");
  }

  @Test
  void committedPtxIsWhatTheBuildScriptProduces() throws IOException, InterruptedException {
    Path root = projectRoot();
    Path nvcc = requireTool("nvcc");
    Set<String> committed = baseNames(root.resolve(PTX_DIR), ".ptx");
    assertFalse(committed.isEmpty(), "no committed PTX in " + PTX_DIR);
    String committedRelease = release(Files.readString(root.resolve(PTX_DIR).resolve(committed.iterator().next()
        + ".ptx"), StandardCharsets.UTF_8));
    Run version = run(root, List.of(nvcc.toString(), "--version"), 60);
    assertEquals(0, version.exit, "nvcc --version failed:\n" + version.output);
    String localRelease = release(version.output);
    Assumptions.assumeTrue(committedRelease.equals(localRelease), () -> skip("the committed PTX was generated by \""
        + committedRelease + "\", this nvcc is \"" + localRelease + "\"; the byte-for-byte comparison needs the same"
        + " release"));

    Path out = temp.resolve("ptx");
    List<String> command = List.of("bash", root.resolve(BUILD_SCRIPT).toString(), out.toString());
    Run build = run(root, command, 600);
    assertEquals(0, build.exit, "scripts/build-ptx.sh failed:\n" + build.output);

    Set<String> built = baseNames(out, ".ptx");
    assertEquals(committed, built, "the build script's outputs and the committed PTX files differ");
    List<String> stale = new ArrayList<>();
    for (String name : built) {
      byte[] fresh = Files.readAllBytes(out.resolve(name + ".ptx"));
      byte[] kept = Files.readAllBytes(root.resolve(PTX_DIR).resolve(name + ".ptx"));
      if (!Arrays.equals(fresh, kept)) {
        stale.add(PTX_DIR + "/" + name + ".ptx");
      }
    }
    assertEquals(List.of(), stale, "stale PTX (its .cu source or the build flags changed); regenerate with: "
        + BUILD_SCRIPT + " (from the project root) and commit the result");
  }

  @Test
  void committedPtxAssemblesForEveryTarget() throws IOException, InterruptedException {
    Path root = projectRoot();
    Path ptxas = requireTool("ptxas");
    Set<String> committed = baseNames(root.resolve(PTX_DIR), ".ptx");
    assertFalse(committed.isEmpty(), "no committed PTX in " + PTX_DIR);
    List<String> failures = new ArrayList<>();
    for (String name : committed) {
      Path ptx = root.resolve(PTX_DIR).resolve(name + ".ptx");
      for (String arch : ARCHS) {
        Path cubin = temp.resolve(name + "." + arch + ".cubin");
        Run r = run(root, List.of(ptxas.toString(), "-arch=" + arch, ptx.toString(), "-o", cubin.toString()), 300);
        if (r.exit != 0) {
          failures.add("ptxas -arch=" + arch + " " + name + ".ptx exited " + r.exit + ":\n" + r.output);
        } else if (!Files.isRegularFile(cubin) || Files.size(cubin) == 0) {
          failures.add("ptxas -arch=" + arch + " " + name + ".ptx wrote no cubin:\n" + r.output);
        }
      }
    }
    assertEquals(List.of(), failures, "committed PTX that does not assemble");
  }

  // ---------------------------------------------------------------- helpers

  /** The project root: the working directory or the closest parent holding scripts/build-ptx.sh. */
  private static Path projectRoot() {
    Path start = Path.of("").toAbsolutePath();
    for (Path p = start; p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve(BUILD_SCRIPT))) {
        return p;
      }
    }
    return fail("no " + BUILD_SCRIPT + " in " + start + " or any parent directory");
  }

  /** The names without extension of the regular files of a directory that end in ext. */
  private static Set<String> baseNames(Path dir, String ext) throws IOException {
    Set<String> names = new TreeSet<>();
    if (!Files.isDirectory(dir)) {
      return names;
    }
    try (Stream<Path> files = Files.list(dir)) {
      files.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).filter(n -> n.endsWith(ext))
          .forEach(n -> names.add(n.substring(0, n.length() - ext.length())));
    }
    return names;
  }

  /**
   * The kernels of the header by section (source name without .cu), in order, with {@code _T}
   * expanded to {@code _f32} and {@code _f64}.
   */
  private static Map<String, List<String>> headerKernels(Path root) throws IOException {
    Map<String, List<String>> sections = new LinkedHashMap<>();
    List<String> current = null;
    for (String line : Files.readAllLines(root.resolve(CUDA_DIR).resolve(HEADER), StandardCharsets.UTF_8)) {
      Matcher s = SECTION.matcher(line);
      if (s.matches()) {
        current = sections.computeIfAbsent(s.group(1), k -> new ArrayList<>());
        continue;
      }
      Matcher k = KERNEL.matcher(line);
      if (k.find()) {
        String name = k.group(1);
        if (current == null) {
          fail(HEADER + " declares " + name + " before its first // ---- NAME.cu ---- section");
        }
        if (name.endsWith("_T")) {
          String stem = name.substring(0, name.length() - 2);
          current.add(stem + "_f32");
          current.add(stem + "_f64");
        } else {
          current.add(name);
        }
      }
    }
    return sections;
  }

  private static Set<String> entries(String ptx) {
    Set<String> names = new TreeSet<>();
    Matcher m = ENTRY.matcher(ptx);
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }

  private static String release(String text) {
    Matcher m = RELEASE.matcher(text);
    return m.find() ? m.group().strip() : "(no release line)";
  }

  /** The tool on PATH or in /usr/local/cuda/bin, or a skipped test (with the reason printed) without it. */
  private static Path requireTool(String name) {
    Optional<Path> tool = findTool(name);
    Assumptions.assumeTrue(tool.isPresent(),
        () -> skip(name + " is not on PATH or in /usr/local/cuda/bin; the CUDA toolkit is needed for this check"));
    return tool.orElseThrow();
  }

  private static Optional<Path> findTool(String name) {
    List<String> dirs = new ArrayList<>();
    String path = System.getenv("PATH");
    if (path != null) {
      dirs.addAll(Arrays.asList(path.split(Pattern.quote(File.pathSeparator))));
    }
    dirs.add("/usr/local/cuda/bin");
    for (String dir : dirs) {
      if (dir.isEmpty()) {
        continue;
      }
      Path p = Path.of(dir, name);
      if (Files.isRegularFile(p) && Files.isExecutable(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  private static String skip(String reason) {
    System.out.println("PtxCurrentTest skipped a check: " + reason);
    return reason;
  }

  private record Run(int exit, String output) {}

  /** Runs a command in dir with the CUDA bin directory on PATH; stdout and stderr together. */
  private static Run run(Path dir, List<String> command, long timeoutSeconds) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
    Path log = Files.createTempFile("ptx-current", ".log");
    try {
      pb.redirectOutput(log.toFile());
      String path = System.getenv("PATH");
      pb.environment().put("PATH", (path == null || path.isEmpty() ? "" : path + File.pathSeparator)
          + "/usr/local/cuda/bin");
      Process p = pb.start();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        p.waitFor();
        return new Run(-1, "timed out after " + timeoutSeconds + " s: " + String.join(" ", command) + "\n"
            + new String(Files.readAllBytes(log), StandardCharsets.UTF_8));
      }
      return new Run(p.exitValue(), new String(Files.readAllBytes(log), StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(log);
    }
  }
}
