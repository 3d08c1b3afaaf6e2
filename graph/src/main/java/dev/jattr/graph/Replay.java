package dev.jattr.graph;

import dev.jattr.kernels.DeviceRecording;
import java.util.Map;

/**
 * A forward pass recorded on a device ({@link dev.jattr.kernels.Backend#record}) with the tensors
 * it reads and writes: its own copies of the inputs, which each replay refills, and the outputs,
 * which each replay rewrites. The recording's device memory is that of these tensors and of the
 * values in between, which no one else holds.
 *
 * @param recording the device work
 * @param inputs the inputs the recording reads, by name
 * @param outputs the outputs it writes, by name
 */
record Replay(DeviceRecording recording, Map<String, Tensor> inputs, Map<String, Tensor> outputs) {}
