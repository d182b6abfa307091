// The JDK's UTF-8 decoding, for tests that compare kafkasink's with it. Reads byte strings as hex,
// one a line, from the file named first; writes to the file named second, per input line, the
// UTF-8 hex of `new String(bytes, UTF_8)` and of a CharsetDecoder that replaces malformed input
// (the decoder behind Readers, as univocity's multiLine CSV parsing uses), separated by a space.
// Run with the source launcher: java Utf8Oracle.java in.txt out.txt
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.nio.ByteBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

public class Utf8Oracle {
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private static String hex(byte[] bytes) {
    StringBuilder out = new StringBuilder(bytes.length * 2);
    for (byte b : bytes) {
      out.append(HEX[(b >> 4) & 0xF]).append(HEX[b & 0xF]);
    }
    return out.toString();
  }

  public static void main(String[] args) throws Exception {
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPLACE)
        .onUnmappableCharacter(CodingErrorAction.REPLACE);
    try (BufferedReader in = Files.newBufferedReader(Path.of(args[0]));
         BufferedWriter out = Files.newBufferedWriter(Path.of(args[1]))) {
      String line;
      while ((line = in.readLine()) != null) {
        byte[] bytes = new byte[line.length() / 2];
        for (int i = 0; i < bytes.length; i++) {
          bytes[i] = (byte) Integer.parseInt(line.substring(2 * i, 2 * i + 2), 16);
        }
        String viaString = new String(bytes, StandardCharsets.UTF_8);
        String viaDecoder = decoder.decode(ByteBuffer.wrap(bytes)).toString();
        out.write(hex(viaString.getBytes(StandardCharsets.UTF_8)));
        out.write(' ');
        out.write(hex(viaDecoder.getBytes(StandardCharsets.UTF_8)));
        out.write('\n');
      }
    }
  }
}
