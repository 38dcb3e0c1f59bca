package org.llenergymeasure.campaign.activities.container;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Masks a run's output as one stream, whatever pieces it arrives in (the engine's log frames, which
 * cut lines of over 16 KiB; reads of a growing file): bytes go in, masked text comes out. A secret
 * split between two pieces is masked, because the end of what came in that could be the start of a
 * secret is held back until the next piece (or the end) says whether it is one; a character split
 * between two pieces is decoded whole. Not thread-safe: one stream, one reader.
 */
public final class SecretMasker {

  private final Secrets secrets;
  private final CharsetDecoder decoder =
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPLACE)
          .onUnmappableCharacter(CodingErrorAction.REPLACE);
  private ByteBuffer leftover = ByteBuffer.allocate(0);
  private final StringBuilder pending = new StringBuilder();

  public SecretMasker(Secrets secrets) {
    this.secrets = secrets;
  }

  /** Takes the next piece of output; returns the masked text that can be shown now. */
  public String write(byte[] bytes, int offset, int length) {
    ByteBuffer in = ByteBuffer.allocate(leftover.remaining() + length);
    in.put(leftover).put(bytes, offset, length).flip();
    CharBuffer out = CharBuffer.allocate(in.remaining() + 1);
    decoder.decode(in, out, false);
    leftover = in.slice();
    out.flip();
    return text(out, false);
  }

  public String write(byte[] bytes) {
    return write(bytes, 0, bytes.length);
  }

  /** The end of the output: returns what was held back, masked. */
  public String finish() {
    CharBuffer out = CharBuffer.allocate(leftover.remaining() * 2 + 4);
    decoder.decode(leftover, out, true);
    decoder.flush(out);
    leftover = ByteBuffer.allocate(0);
    decoder.reset();
    out.flip();
    return text(out, true);
  }

  private String text(CharSequence decoded, boolean end) {
    if (secrets.isEmpty()) {
      return decoded.toString();
    }
    pending.append(decoded);
    String masked = secrets.redact(pending.toString());
    int keep = end ? 0 : secrets.pendingSuffixLength(masked);
    pending.setLength(0);
    pending.append(masked, masked.length() - keep, masked.length());
    return masked.substring(0, masked.length() - keep);
  }
}
