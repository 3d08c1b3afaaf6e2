package dev.jattr.kernels.cuda;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jattr.kernels.Availability;
import dev.jattr.kernels.BackendComparison;
import dev.jattr.kernels.cpu.CpuBackend;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Every CUDA kernel against the CPU backend on random inputs, where a GPU answers; elsewhere (CI
 * has none) skipped with the backend's reason. {@code scripts/gpu-check.sh} runs the same
 * comparison on the GPU machine.
 */
class CudaKernelsTest {
  @Test
  void everyKernelMatchesTheCpuBackend() {
    CudaBackend cuda = new CudaBackend(false);
    Availability a = cuda.availability();
    if (!a.available()) {
      System.out.println("CudaKernelsTest skipped: " + a.reason());
    }
    Assumptions.assumeTrue(a.available(), () -> "no GPU here: " + a.reason());
    List<BackendComparison.Check> checks = BackendComparison.run(new CpuBackend(), cuda, 42);
    List<BackendComparison.Check> failed = checks.stream().filter(c -> !c.passed()).toList();
    assertTrue(failed.isEmpty(), () -> BackendComparison.table(failed));
    assertTrue(cuda.deviceForChecks().launches() >= checks.size() / 2, "the kernels ran on the GPU");
  }
}
