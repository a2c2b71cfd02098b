package dev.papertape.flink.io;

import dev.papertape.flink.metrics.MetricsAccumulator;
import dev.papertape.flink.signals.ControlRecord;
import dev.papertape.flink.signals.ParsedMetric;
import dev.papertape.model.DeadLetter;
import dev.papertape.model.Signal;
import dev.papertape.model.Trade;
import dev.papertape.model.WindowMetrics;
import org.apache.flink.types.PojoTestUtils;
import org.junit.jupiter.api.Test;

/** Every type that crosses an operator or lives in state uses Flink's POJO serializer, not Kryo. */
class FlinkTypesTest {
  @Test
  void eventsAndStateAreFlinkPojos() {
    PojoTestUtils.assertSerializedAsPojoWithoutKryo(Trade.class);
    PojoTestUtils.assertSerializedAsPojoWithoutKryo(WindowMetrics.class);
    PojoTestUtils.assertSerializedAsPojoWithoutKryo(ParsedRecord.class);
    PojoTestUtils.assertSerializedAsPojoWithoutKryo(MetricsAccumulator.class);
    PojoTestUtils.assertSerializedAsPojoWithoutKryo(LateTrade.class);
    PojoTestUtils.assertSerializedAsPojoWithoutKryo(DeadLetter.class);
    PojoTestUtils.assertSerializedAsPojoWithoutKryo(Signal.class);
    PojoTestUtils.assertSerializedAsPojoWithoutKryo(ParsedMetric.class);
    PojoTestUtils.assertSerializedAsPojoWithoutKryo(ControlRecord.class);
  }
}
