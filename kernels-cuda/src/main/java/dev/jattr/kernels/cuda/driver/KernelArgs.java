package dev.jattr.kernels.cuda.driver;

import java.util.ArrayList;
import java.util.List;

/**
 * The arguments of one kernel launch, in the kernel's parameter order: device pointers, 32-bit
 * integers, floats, doubles and structs passed by value (as the bytes of their C layout). The
 * driver lays each out in memory and passes {@code cuLaunchKernel} the array of their addresses.
 */
public final class KernelArgs {
  /** One argument: its kind and value. */
  public sealed interface Arg {
    /**
     * Its size in bytes as the kernel reads it.
     *
     * @return the size
     */
    int byteSize();
  }

  /**
   * A device pointer.
   *
   * @param address the device address (0 for a null pointer)
   */
  public record Pointer(long address) implements Arg {
    @Override
    public int byteSize() {
      return 8;
    }
  }

  /**
   * A 32-bit integer.
   *
   * @param value the value
   */
  public record Int(int value) implements Arg {
    @Override
    public int byteSize() {
      return 4;
    }
  }

  /**
   * A float.
   *
   * @param value the value
   */
  public record Float32(float value) implements Arg {
    @Override
    public int byteSize() {
      return 4;
    }
  }

  /**
   * A double.
   *
   * @param value the value
   */
  public record Float64(double value) implements Arg {
    @Override
    public int byteSize() {
      return 8;
    }
  }

  /**
   * A struct of 32-bit integers passed by value.
   *
   * @param fields the struct's fields in declaration order
   */
  public record IntStruct(int[] fields) implements Arg {
    /**
     * Copies the fields.
     */
    public IntStruct {
      fields = fields.clone();
    }

    @Override
    public int[] fields() {
      return fields.clone();
    }

    @Override
    public int byteSize() {
      return 4 * fields.length;
    }
  }

  private final List<Arg> args = new ArrayList<>();

  /** Empty arguments; add them in parameter order. */
  public KernelArgs() {}

  /**
   * Adds a device pointer.
   *
   * @param address the device address
   * @return this
   */
  public KernelArgs pointer(long address) {
    args.add(new Pointer(address));
    return this;
  }

  /**
   * Adds an int.
   *
   * @param value the value
   * @return this
   */
  public KernelArgs i32(int value) {
    args.add(new Int(value));
    return this;
  }

  /**
   * Adds a boolean as the int 0 or 1.
   *
   * @param value the value
   * @return this
   */
  public KernelArgs flag(boolean value) {
    return i32(value ? 1 : 0);
  }

  /**
   * Adds a float.
   *
   * @param value the value
   * @return this
   */
  public KernelArgs f32(float value) {
    args.add(new Float32(value));
    return this;
  }

  /**
   * Adds a double.
   *
   * @param value the value
   * @return this
   */
  public KernelArgs f64(double value) {
    args.add(new Float64(value));
    return this;
  }

  /**
   * Adds a struct of ints by value.
   *
   * @param fields the fields in declaration order
   * @return this
   */
  public KernelArgs struct(int... fields) {
    args.add(new IntStruct(fields));
    return this;
  }

  /**
   * The arguments so far.
   *
   * @return an unmodifiable list in parameter order
   */
  public List<Arg> list() {
    return List.copyOf(args);
  }
}
