package dev.jattr.kernels.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jattr.kernels.cuda.driver.KernelArgs;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A kernel's parameter list as its PTX declares it: each parameter's PTX type and byte size. */
record PtxSignature(String kernel, List<String> types, List<Integer> sizes) {
  private static final Pattern PARAM = Pattern.compile(
      "\\.param\\s+(?:\\.align\\s+\\d+\\s+)?\\.(\\w+)\\s+\\w+(?:\\[(\\d+)\\])?");

  static PtxSignature of(String ptx, String kernel) {
    int at = ptx.indexOf(".entry " + kernel + "(");
    assertTrue(at >= 0, kernel + " is not in the PTX");
    String params = ptx.substring(at, ptx.indexOf(')', at));
    List<String> types = new ArrayList<>();
    List<Integer> sizes = new ArrayList<>();
    Matcher m = PARAM.matcher(params);
    while (m.find()) {
      String t = m.group(1);
      types.add(t);
      sizes.add(m.group(2) != null ? Integer.parseInt(m.group(2)) : Integer.parseInt(t.substring(1)) / 8);
    }
    return new PtxSignature(kernel, types, sizes);
  }

  /** Fails when the arguments do not match the parameters in number, size or kind. */
  void check(List<KernelArgs.Arg> args) {
    assertEquals(types.size(), args.size(), kernel + ": " + args.size() + " arguments for " + types.size()
        + " parameters " + types);
    for (int i = 0; i < args.size(); i++) {
      KernelArgs.Arg a = args.get(i);
      String t = types.get(i);
      int size = sizes.get(i);
      String where = kernel + " parameter " + i + " (." + t + ", " + size + " bytes) given " + a;
      assertEquals(size, a.byteSize(), where);
      switch (a) {
        case KernelArgs.Pointer p -> assertTrue(t.equals("u64") || t.equals("b64") || t.equals("s64"), where);
        case KernelArgs.Int n -> assertTrue(t.equals("u32") || t.equals("s32") || t.equals("b32"), where);
        case KernelArgs.Float32 f -> assertEquals("f32", t, where);
        case KernelArgs.Float64 d -> assertEquals("f64", t, where);
        case KernelArgs.IntStruct s -> assertEquals("b8", t, where);
      }
    }
  }
}
