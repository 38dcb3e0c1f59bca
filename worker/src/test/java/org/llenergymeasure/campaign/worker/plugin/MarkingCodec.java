package org.llenergymeasure.campaign.worker.plugin;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.temporal.api.common.v1.Payload;
import io.temporal.payload.codec.PayloadCodec;
import io.temporal.payload.codec.PayloadCodecException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A user's payload codec as a test sees it: each payload is wrapped whole in one whose encoding is
 * {@value #ENCODING} (as an encryption codec would), so a payload that went past it is recognized
 * in a history, and one that did not is not.
 */
final class MarkingCodec implements PayloadCodec {

  static final String ENCODING = "binary/x-llem-test-mark";
  private static final ByteString MARK = ByteString.copyFromUtf8(ENCODING);

  static boolean marked(Payload p) {
    return MARK.equals(p.getMetadataMap().get("encoding"));
  }

  @Override
  public List<Payload> encode(List<Payload> payloads) {
    return payloads.stream()
        .map(
            p ->
                Payload.newBuilder()
                    .putMetadata("encoding", MARK)
                    .setData(p.toByteString())
                    .build())
        .collect(Collectors.toList());
  }

  @Override
  public List<Payload> decode(List<Payload> payloads) {
    return payloads.stream().map(MarkingCodec::unwrap).collect(Collectors.toList());
  }

  private static Payload unwrap(Payload p) {
    if (!marked(p)) {
      return p;
    }
    try {
      return Payload.parseFrom(p.getData());
    } catch (InvalidProtocolBufferException e) {
      throw new PayloadCodecException(e);
    }
  }
}
