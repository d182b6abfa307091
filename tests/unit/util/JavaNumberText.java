// The reference for java_number_text_test.cpp: the JDK's own Double.toString, Float.toString,
// Double.parseDouble and Float.parseFloat, run as a single-file program
// (`java JavaNumberText.java <mode> <input> <output> [<mode> <input> <output>]...`), one result
// per input line.
//
//   double-to-string  input lines are a double's bits in hex; output Double.toString
//   float-to-string   input lines are a float's bits in hex; output Float.toString
//   double-parse      input lines are a string's bytes in hex (ISO-8859-1); output the bits of
//                     Double.parseDouble in hex, or "error" where it throws
//   float-parse       the same with Float.parseFloat
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

public class JavaNumberText {
  static String decode(String hex) {
    byte[] bytes = new byte[hex.length() / 2];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
    }
    return new String(bytes, StandardCharsets.ISO_8859_1);
  }

  static String convert(String mode, String line) {
    switch (mode) {
      case "double-to-string":
        return Double.toString(Double.longBitsToDouble(Long.parseUnsignedLong(line, 16)));
      case "float-to-string":
        return Float.toString(Float.intBitsToFloat(Integer.parseUnsignedInt(line, 16)));
      case "double-parse":
        try {
          return Long.toHexString(Double.doubleToRawLongBits(Double.parseDouble(decode(line))));
        } catch (NumberFormatException e) {
          return "error";
        }
      case "float-parse":
        try {
          return Integer.toHexString(Float.floatToRawIntBits(Float.parseFloat(decode(line))));
        } catch (NumberFormatException e) {
          return "error";
        }
      default:
        throw new IllegalArgumentException("unknown mode " + mode);
    }
  }

  public static void main(String[] args) throws Exception {
    for (int arg = 0; arg + 2 < args.length; arg += 3) {
      try (BufferedReader in = Files.newBufferedReader(Path.of(args[arg + 1]), StandardCharsets.US_ASCII);
           BufferedWriter out = Files.newBufferedWriter(Path.of(args[arg + 2]), StandardCharsets.US_ASCII)) {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          out.write(convert(args[arg], line));
          out.write('\n');
        }
      }
    }
  }
}
